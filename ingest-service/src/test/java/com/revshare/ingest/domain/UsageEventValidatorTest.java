package com.revshare.ingest.domain;

import static com.revshare.ingest.domain.TestEvents.NOW;
import static com.revshare.ingest.domain.TestEvents.valid;
import static com.revshare.ingest.domain.TestEvents.validate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** SPEC §2.1 rules and §2.2 reasons, one at a time, given a valid event and one defect. */
class UsageEventValidatorTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Validation.Invalid rejected(Validation v, RejectionReason reason) {
        Validation.Invalid invalid = assertInstanceOf(Validation.Invalid.class, v, () -> "expected " + reason);
        assertEquals(reason, invalid.reason(), invalid::detail);
        return invalid;
    }

    static UsageEvent accepted(Validation v) {
        if (v instanceof Validation.Invalid i) {
            throw new AssertionError("rejected " + i.reason() + ": " + i.detail());
        }
        return ((Validation.Valid) v).event();
    }

    @Test
    void theSpecExampleIsAcceptedAndNormalised() {
        UsageEvent e = accepted(validate(valid()));
        assertEquals("aws", e.partnerId());
        assertEquals("aws-2026-11-01-000001", e.eventId());
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), e.time());
        assertEquals(125000L, e.quantity());
        assertEquals("1.87500000", e.revenue().amount().toPlainString());
        assertEquals("USD", e.revenue().currency());
        assertEquals("us-east-1", e.region());
    }

    @Test
    void aRecordOver64KiBIsTooLargeEvenWhenItIsNotJson() {
        byte[] garbage = new byte[65537];
        Validation.Invalid i = rejected(TestEvents.VALIDATOR.validate(garbage, null, TestEvents.PARTNERS, NOW),
                RejectionReason.PAYLOAD_TOO_LARGE);
        assertTrue(i.detail().contains("65537"), i.detail());
    }

    /** SPEC §2.5: the rejection names the id "when one could be read"; size alone does not make it unreadable. */
    @Test
    void anOversizedEventStillNamesItsIdAndPartnerWhenTheyCanBeRead() throws Exception {
        ObjectNode e = valid();
        e.put("padding", "x".repeat(70_000));
        Validation.Invalid i = rejected(validate(e), RejectionReason.PAYLOAD_TOO_LARGE);
        assertEquals("aws-2026-11-01-000001", i.eventId());
        assertEquals("aws", i.partnerId());
        Validation.Invalid parsed = rejected(TestEvents.VALIDATOR.validateParsed(
                TestEvents.READER.read(TestEvents.bytes(e)), TestEvents.bytes(e).length, null,
                TestEvents.PARTNERS, NOW), RejectionReason.PAYLOAD_TOO_LARGE);
        assertEquals("aws-2026-11-01-000001", parsed.eventId());
        assertEquals("aws", parsed.partnerId());
        // too large and not JSON: nothing can be read
        byte[] cut = java.util.Arrays.copyOf(TestEvents.bytes(e), 69_000);
        Validation.Invalid unreadable = rejected(TestEvents.VALIDATOR.validate(cut, null, TestEvents.PARTNERS, NOW),
                RejectionReason.PAYLOAD_TOO_LARGE);
        assertNull(unreadable.eventId());
        assertNull(unreadable.partnerId());
    }

    /** A rejection names an id of at most the legal 128 characters, so its record stays small whatever was sent. */
    @Test
    void aRejectionNamesNoIdLongerThan128Characters() {
        ObjectNode e = valid();
        e.put("id", "i".repeat(129));
        assertNull(rejected(validate(e), RejectionReason.INVALID_FIELD).eventId());
        e.put("id", "i".repeat(127) + "\t");
        assertEquals("i".repeat(127) + "\t", rejected(validate(e), RejectionReason.INVALID_FIELD).eventId());
        e.put("id", "i".repeat(100_000));
        assertNull(rejected(validate(e), RejectionReason.PAYLOAD_TOO_LARGE).eventId());
    }

    @Test
    void aValidEventOfExactly64KiBIsAccepted() {
        ObjectNode e = valid();
        e.put("padding", "");
        int size = TestEvents.bytes(e).length;
        e.put("padding", "x".repeat(65536 - size));
        assertEquals(65536, TestEvents.bytes(e).length);
        accepted(validate(e));
        e.put("padding", "x".repeat(65537 - size));
        rejected(validate(e), RejectionReason.PAYLOAD_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\":1", "[]", "42", "\"text\"", "null", "{\"a\":1}x", "{'a':1}",
            "{\"a\":01}", "{\"a\":1,}", "{\"a\":\"\u0001\"}", "{\"a\":1,\"a\":2}", "{\"a\":\"\\x\"}", "{\"a\":-}",
            "{\"a\":1.}", "{\"a\":.5}", "{\"a\":tru}", "{\"a\":NaN}"})
    void malformedJson(String text) {
        rejected(validate(text), RejectionReason.MALFORMED_JSON);
    }

    @Test
    void invalidUtf8AndAByteOrderMarkAreMalformed() {
        byte[] overlong = "{\"a\":\"\u00C0\u00AF\"}".getBytes(StandardCharsets.ISO_8859_1);
        rejected(TestEvents.VALIDATOR.validate(overlong, null, TestEvents.PARTNERS, NOW), RejectionReason.MALFORMED_JSON);
        byte[] bom = ("\uFEFF" + new String(TestEvents.bytes(valid()), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        rejected(TestEvents.VALIDATOR.validate(bom, null, TestEvents.PARTNERS, NOW), RejectionReason.MALFORMED_JSON);
        rejected(TestEvents.VALIDATOR.validate(null, null, TestEvents.PARTNERS, NOW), RejectionReason.MALFORMED_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"specversion", "id", "source", "type", "time", "partnerid", "data", "data.model",
            "data.metric", "data.quantity", "data.revenue.amount", "data.revenue.currency"})
    void aMissingOrNullRequiredFieldIsNamed(String field) {
        ObjectNode absent = valid();
        parentOf(absent, field).remove(leaf(field));
        Validation.Invalid i = rejected(validate(absent), RejectionReason.MISSING_FIELD);
        assertEquals(field + " is missing", i.detail());

        ObjectNode nulled = valid();
        parentOf(nulled, field).putNull(leaf(field));
        assertEquals(field + " is missing", rejected(validate(nulled), RejectionReason.MISSING_FIELD).detail());
    }

    @Test
    void optionalFieldsMayBeAbsentOrNull() {
        ObjectNode e = valid();
        ((ObjectNode) e.get("data")).remove("region");
        ((ObjectNode) e.get("data")).remove("revenue");
        e.remove("datacontenttype");
        UsageEvent accepted = accepted(validate(e));
        assertNull(accepted.revenue());
        assertNull(accepted.region());
        ((ObjectNode) e.get("data")).putNull("region");
        ((ObjectNode) e.get("data")).putNull("revenue");
        accepted(validate(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0.3\"", "\"1.0 \"", "\"1\"", "1.0", "true", "{}"})
    void unsupportedSpecversion(String value) throws Exception {
        ObjectNode e = valid();
        e.set("specversion", TestEvents.JSON.readTree(value));
        rejected(validate(e), RejectionReason.UNSUPPORTED_SPECVERSION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"revshare.usage.v2\"", "\"REVSHARE.USAGE.V1\"", "1", "[]"})
    void unsupportedType(String value) throws Exception {
        ObjectNode e = valid();
        e.set("type", TestEvents.JSON.readTree(value));
        rejected(validate(e), RejectionReason.UNSUPPORTED_TYPE);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "id|\"\"", "id|42", "id|\"caf\u00e9\"", "id|\"tab\\there\"",
            "source|\"\"", "source|7",
            "time|\"2026-11-01T12:00:00\"", "time|\"2026-11-01 12:00:00Z\"", "time|\"2026-02-29T00:00:00Z\"",
            "time|\"2026-11-01T24:00:00Z\"", "time|\"2026-11-01T12:00:00.Z\"", "time|1700000000",
            "time|\"2026-11-01T12:00:00+24:00\"", "time|\"2026-11-01T12:00:60Z\"",
            "partnerid|\"AWS\"", "partnerid|\"a\"", "partnerid|\"-aws\"", "partnerid|\"aws_1\"", "partnerid|5",
            "data|\"x\"", "data|[]",
            "data.model|\"\"", "data.model|\"llama 3\"", "data.model|\"llama@3\"", "data.model|1",
            "data.metric|\"tokens\"", "data.metric|\"Requests\"", "data.metric|null1",
            "data.quantity|-1", "data.quantity|-0", "data.quantity|1.0", "data.quantity|1e3", "data.quantity|\"01\"",
            "data.quantity|\"+5\"", "data.quantity|1000000000000001", "data.quantity|\"\"", "data.quantity|true",
            "data.quantity|\" 5\"", "data.quantity|10000000000000000",
            "data.revenue|\"1.00\"", "data.revenue|[]",
            "data.revenue.amount|-1", "data.revenue.amount|\"-1.00\"", "data.revenue.amount|1e2",
            "data.revenue.amount|\"1.123456789\"", "data.revenue.amount|\"01.5\"", "data.revenue.amount|\".5\"",
            "data.revenue.amount|\"1.\"", "data.revenue.amount|\"1234567890123456789\"", "data.revenue.amount|true",
            "data.revenue.currency|\"usd\"", "data.revenue.currency|\"XYZ\"", "data.revenue.currency|\"US\"",
            "data.revenue.currency|840",
            "data.region|5", "data.region|\"\\u0000\"", "data.region|\"\\ud800\"", "source|\"a\\u0000\""})
    void invalidFieldIsNamedInTheDetail(String field, String value) throws Exception {
        // the value is spliced in as raw text: a JSON library would respell -0, 1e2 or 1.0
        ObjectNode e = valid();
        if (value.equals("null1")) {
            value = "{\"a\":1}";
        }
        parentOf(e, field).put(leaf(field), "__VALUE__");
        String text = new String(TestEvents.bytes(e), StandardCharsets.UTF_8).replace("\"__VALUE__\"", value);
        Validation.Invalid i = rejected(validate(text), RejectionReason.INVALID_FIELD);
        assertTrue(i.detail().startsWith(field + " "), i.detail());
    }

    @Test
    void regionIsAtMost64Characters() {
        ObjectNode e = valid();
        ((ObjectNode) e.get("data")).put("region", "\u00e9".repeat(64));
        assertEquals("\u00e9".repeat(64), accepted(validate(e)).region());
        ((ObjectNode) e.get("data")).put("region", "r".repeat(65));
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.region"));
    }

    @Test
    void idIsOneTo128PrintableAsciiCharacters() {
        ObjectNode e = valid();
        e.put("id", " ~".repeat(64));
        assertEquals(" ~".repeat(64), accepted(validate(e)).eventId());
        e.put("id", "x".repeat(129));
        rejected(validate(e), RejectionReason.INVALID_FIELD);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1000000000000000,1000000000000000", "\"42\",42", "\"1000000000000000\",1000000000000000"})
    void quantityAsNumberOrStringUpTo10To15(String json, long expected) throws Exception {
        ObjectNode e = valid();
        ((ObjectNode) e.get("data")).set("quantity", TestEvents.JSON.readTree(json));
        assertEquals(expected, accepted(validate(e)).quantity());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0|0.00000000", "1.5|1.50000000", "\"1.5\"|1.50000000",
            "\"999999999999999999.99999999\"|999999999999999999.99999999",
            "123456789012345678.12345678|123456789012345678.12345678", "0.1|0.10000000"})
    void amountIsReadExactlyWithoutBinaryFloats(String json, String expected) {
        String text = new String(TestEvents.bytes(valid()), StandardCharsets.UTF_8)
                .replace("\"amount\":\"1.87500000\"", "\"amount\":" + json);
        assertEquals(new BigDecimal(expected), accepted(validate(text)).revenue().amount());
        assertEquals(expected, accepted(validate(text)).revenue().amount().toPlainString());
    }

    @Test
    void timeWithAnOffsetIsNormalisedToUtc() {
        ObjectNode e = valid();
        e.put("time", "2026-11-01T14:30:00.250+02:30");
        assertEquals(Instant.parse("2026-11-01T12:00:00.250Z"), accepted(validate(e)).time());
        e.put("time", "2026-11-01t12:00:00z");
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), accepted(validate(e)).time());
        e.put("time", "2026-11-01T07:00:00-05:00");
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), accepted(validate(e)).time());
    }

    @Test
    void partnerMismatchAgainstTheRecordKeyOrTheCaller() {
        Validation.Invalid byKey = rejected(TestEvents.validate(valid(), PartnerClaim.recordKey("azure")),
                RejectionReason.PARTNER_MISMATCH);
        assertTrue(byKey.detail().contains("record key"), byKey.detail());
        rejected(TestEvents.validate(valid(), PartnerClaim.caller("azure")), RejectionReason.PARTNER_MISMATCH);
        rejected(TestEvents.validate(valid(), PartnerClaim.recordKey("")), RejectionReason.PARTNER_MISMATCH);
        accepted(TestEvents.validate(valid(), PartnerClaim.recordKey("aws")));
    }

    /**
     * A record that names no readable partner is keyed by its transport's claim only when the claim is a
     * partner id: an arbitrary (even megabyte-long) Kafka key must not become the rejected topic's key.
     */
    @Test
    void aRejectionIsKeyedByTheClaimOnlyWhenTheClaimIsAPartnerId() {
        byte[] notJson = "oops".getBytes(StandardCharsets.UTF_8);
        assertEquals("aws", rejected(TestEvents.VALIDATOR.validate(notJson, PartnerClaim.recordKey("aws"),
                TestEvents.PARTNERS, NOW), RejectionReason.MALFORMED_JSON).partnerId());
        assertNull(rejected(TestEvents.VALIDATOR.validate(notJson, PartnerClaim.recordKey("k".repeat(100_000)),
                TestEvents.PARTNERS, NOW), RejectionReason.MALFORMED_JSON).partnerId());
        ObjectNode e = valid();
        e.remove("partnerid");
        assertNull(rejected(TestEvents.validate(e, PartnerClaim.recordKey("Not A Partner")),
                RejectionReason.MISSING_FIELD).partnerId());
        assertEquals("aws", rejected(TestEvents.validate(e, PartnerClaim.recordKey("aws")),
                RejectionReason.MISSING_FIELD).partnerId());
    }

    @Test
    void unknownPartner() {
        ObjectNode e = valid();
        e.put("partnerid", "oracle");
        Validation.Invalid i = rejected(validate(e), RejectionReason.UNKNOWN_PARTNER);
        assertEquals("oracle", i.partnerId());
        assertEquals("aws-2026-11-01-000001", i.eventId());
    }

    @Test
    void futureLimitIsFiveMinutesByTheGivenClock() {
        ObjectNode e = valid();
        e.put("time", NOW.plusSeconds(300).toString());
        accepted(validate(e));
        e.put("time", NOW.plusSeconds(300).plusNanos(1000).toString());
        rejected(validate(e), RejectionReason.FUTURE_EVENT);
    }

    @Test
    void precedenceFollowsSpecSection2_2() {
        // given one event with a defect of every kind, removing them one by one reveals the next reason
        ObjectNode e = valid();
        e.put("time", NOW.plusSeconds(3600).toString()); // FUTURE_EVENT
        e.put("partnerid", "oracle"); // UNKNOWN_PARTNER
        PartnerClaim claim = PartnerClaim.recordKey("aws"); // PARTNER_MISMATCH with oracle
        ((ObjectNode) e.get("data")).put("metric", "bytes"); // INVALID_FIELD
        e.put("type", "other"); // UNSUPPORTED_TYPE
        e.put("specversion", "0.3"); // UNSUPPORTED_SPECVERSION
        e.remove("source"); // MISSING_FIELD
        assertEquals(RejectionReason.MISSING_FIELD, reason(e, claim));
        e.put("source", "s");
        assertEquals(RejectionReason.UNSUPPORTED_SPECVERSION, reason(e, claim));
        e.put("specversion", "1.0");
        assertEquals(RejectionReason.UNSUPPORTED_TYPE, reason(e, claim));
        e.put("type", "revshare.usage.v1");
        assertEquals(RejectionReason.INVALID_FIELD, reason(e, claim));
        ((ObjectNode) e.get("data")).put("metric", "requests");
        assertEquals(RejectionReason.PARTNER_MISMATCH, reason(e, claim));
        claim = PartnerClaim.recordKey("oracle");
        assertEquals(RejectionReason.UNKNOWN_PARTNER, reason(e, claim));
        e.put("partnerid", "aws");
        claim = PartnerClaim.recordKey("aws");
        assertEquals(RejectionReason.FUTURE_EVENT, reason(e, claim));
        // and size beats malformed JSON
        byte[] bigGarbage = ("{" + "x".repeat(70000)).getBytes(StandardCharsets.UTF_8);
        assertEquals(RejectionReason.PAYLOAD_TOO_LARGE, ((Validation.Invalid) TestEvents.VALIDATOR
                .validate(bigGarbage, null, TestEvents.PARTNERS, NOW)).reason());
    }

    @Test
    void sameContentIgnoresSpellingSourceAndIgnoredFields() {
        UsageEvent a = accepted(validate(valid()));
        String respelled = """
                { "data": {"region":"us-east-1","revenue":{"currency":"USD","amount":1.875},"quantity":"125000",
                  "metric":"output_tokens","model":"llama-3.1-70b-instruct"}, "partnerid":"aws",
                  "time":"2026-11-01T13:00:00+01:00","type":"revshare.usage.v1","source":"elsewhere","extra":[1,2],
                  "id":"aws-2026-11-01-000001","specversion":"1.0" }""";
        UsageEvent b = accepted(validate(respelled));
        assertTrue(a.sameContentAs(b));
        ObjectNode changed = valid();
        ((ObjectNode) changed.get("data")).put("quantity", 125001);
        assertTrue(!a.sameContentAs(accepted(validate(changed))));
        ObjectNode noRegion = valid();
        ((ObjectNode) noRegion.get("data")).remove("region");
        assertTrue(!a.sameContentAs(accepted(validate(noRegion))));
        ObjectNode otherCurrency = valid();
        ((ObjectNode) otherCurrency.get("data").get("revenue")).put("currency", "EUR");
        assertTrue(!a.sameContentAs(accepted(validate(otherCurrency))));
    }

    private static RejectionReason reason(ObjectNode e, PartnerClaim claim) {
        Validation v = TestEvents.validate(e, claim);
        return v instanceof Validation.Invalid i ? i.reason() : null;
    }

    private static ObjectNode parentOf(ObjectNode event, String path) {
        ObjectNode node = event;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        return node;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    @SuppressWarnings("unused")
    private static ObjectNode object() {
        return F.objectNode();
    }
}
