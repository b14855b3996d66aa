package com.revshare.ingest.domain;

import static com.revshare.ingest.domain.TestEvents.NOW;
import static com.revshare.ingest.domain.TestEvents.valid;
import static com.revshare.ingest.domain.TestEvents.validate;
import static com.revshare.ingest.domain.UsageEventValidatorTest.accepted;
import static com.revshare.ingest.domain.UsageEventValidatorTest.rejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * SPEC §2.1 v2 "accepted means bookable": every row of the field table at its limit (accepted, with the
 * value kept exactly) and one past it (rejected, naming the field).
 */
class BookableBoundsTest {

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static String rawWith(String placeholderField, String rawJsonValue) {
        ObjectNode e = valid();
        data(e).put(placeholderField, "__V__");
        return new String(TestEvents.bytes(e), StandardCharsets.UTF_8).replace("\"__V__\"", rawJsonValue);
    }

    private static String rawAmount(String rawJsonValue) {
        return new String(TestEvents.bytes(valid()), StandardCharsets.UTF_8)
                .replace("\"amount\":\"1.87500000\"", "\"amount\":" + rawJsonValue);
    }

    @Test
    void timeAtTheEpochIsAcceptedAndOneNanosecondBeforeIsInvalid() {
        // given the earliest legal time, written with an offset
        ObjectNode e = valid();
        e.put("time", "1970-01-01T01:00:00+01:00");
        // then it is accepted as the epoch instant, whose canonical UTC text is what the ledger gets
        assertEquals(Instant.EPOCH, accepted(validate(e)).time());
        assertEquals("1970-01-01T00:00:00Z", accepted(validate(e)).time().toString());
        // when one nanosecond earlier
        e.put("time", "1969-12-31T23:59:59.999999999Z");
        // then INVALID_FIELD naming time
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("time "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0000-06-01T00:00:00Z", "0001-01-01T00:00:00Z", "1969-07-20T20:17:40Z",
            "1970-01-01T00:30:00+01:00"})
    void timesBeforeTheEpochAreInvalidNotAccepted(String time) {
        ObjectNode e = valid();
        e.put("time", time);
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("time "));
    }

    @Test
    void timeAtMostFiveMinutesAheadByTheIngestClock() {
        ObjectNode e = valid();
        e.put("time", NOW.plusSeconds(300).toString());
        assertEquals(NOW.plusSeconds(300), accepted(validate(e)).time());
        e.put("time", NOW.plusSeconds(300).plusNanos(1).toString());
        rejected(validate(e), RejectionReason.FUTURE_EVENT);
    }

    @Test
    void regionCountsUnicodeCodePointsNotUtf16Units() {
        // given 64 astral letters (U+1D400, two UTF-16 units each): 64 code points, 128 units
        String bold = new String(Character.toChars(0x1D400));
        ObjectNode e = valid();
        data(e).put("region", bold.repeat(64));
        assertEquals(bold.repeat(64), accepted(validate(e)).region());
        // when a 65th is added
        data(e).put("region", bold.repeat(65));
        // then INVALID_FIELD naming data.region
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.region "));
        data(e).put("region", "r".repeat(64));
        assertEquals("r".repeat(64), accepted(validate(e)).region());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x07, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0x85, 0x9F})
    void regionWithAControlCharacterIsInvalid(int controlCharacter) {
        ObjectNode e = valid();
        data(e).put("region", "us" + (char) controlCharacter + "east");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.region "));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0xA0, 0x200B, 0x2028, 0xFEFF, 0x1F600})
    void regionWithCharactersOutsideCategoryCcIsAccepted(int codePoint) {
        // format characters (Cf), separators (Zl, Zs) and emoji are no control characters (Cc)
        ObjectNode e = valid();
        String region = "eu" + new String(Character.toChars(codePoint)) + "west";
        data(e).put("region", region);
        assertEquals(region, accepted(validate(e)).region());
    }

    @Test
    void idIsOneTo128PrintableAscii() {
        ObjectNode e = valid();
        e.put("id", "~".repeat(128));
        assertEquals("~".repeat(128), accepted(validate(e)).eventId());
        e.put("id", "~".repeat(129));
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("id "));
        e.put("id", "a\u007f");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("id "));
        e.put("id", " ");
        assertEquals(" ", accepted(validate(e)).eventId());
    }

    @Test
    void modelIsOneTo128AllowedCharacters() {
        ObjectNode e = valid();
        String model = "Aa0._:/-".repeat(16);
        data(e).put("model", model);
        assertEquals(model, accepted(validate(e)).model());
        data(e).put("model", model + "x");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.model "));
        data(e).put("model", "llama+3");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.model "));
    }

    @Test
    void quantityUpTo10To15AsNumberOrString() {
        assertEquals(1_000_000_000_000_000L, accepted(validate(rawWith("quantity", "1000000000000000"))).quantity());
        assertEquals(1_000_000_000_000_000L,
                accepted(validate(rawWith("quantity", "\"1000000000000000\""))).quantity());
        for (String past : new String[] {"1000000000000001", "\"1000000000000001\"", "9999999999999999"}) {
            assertTrue(rejected(validate(rawWith("quantity", past)), RejectionReason.INVALID_FIELD).detail()
                    .startsWith("data.quantity "), past);
        }
    }

    @Test
    void amountOf18IntegerAnd8FractionDigitsIsExactAndOneMoreDigitIsInvalid() {
        String largest = "999999999999999999.99999999";
        assertEquals(new BigDecimal(largest), accepted(validate(rawAmount(largest))).revenue().amount());
        assertEquals(new BigDecimal(largest), accepted(validate(rawAmount("\"" + largest + "\""))).revenue().amount());
        assertEquals("0.00000001", accepted(validate(rawAmount("0.00000001"))).revenue().amount().toPlainString());
        for (String past : new String[] {"9999999999999999999", "\"9999999999999999999.5\"", "0.000000001",
                "1E+2", "-0"}) {
            assertTrue(rejected(validate(rawAmount(past)), RejectionReason.INVALID_FIELD).detail()
                    .startsWith("data.revenue.amount "), past);
        }
    }

    @Test
    void currencyIsAnUpperCaseIso4217Code() {
        ObjectNode e = valid();
        ((ObjectNode) data(e).get("revenue")).put("currency", "JPY");
        assertEquals("JPY", accepted(validate(e)).revenue().currency());
        ((ObjectNode) data(e).get("revenue")).put("currency", "jpy");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.revenue.currency "));
        ((ObjectNode) data(e).get("revenue")).put("currency", "ABC");
        assertTrue(rejected(validate(e), RejectionReason.INVALID_FIELD).detail().startsWith("data.revenue.currency "));
    }

    @Test
    void aRecordOfExactly64KiBIsAcceptedAndOneByteMoreIsTooLarge() {
        ObjectNode e = valid();
        e.put("padding", "");
        int base = TestEvents.bytes(e).length;
        e.put("padding", "p".repeat(65536 - base));
        byte[] exact = TestEvents.bytes(e);
        assertEquals(65536, exact.length);
        accepted(TestEvents.VALIDATOR.validate(exact, null, TestEvents.PARTNERS, NOW));
        e.put("padding", "p".repeat(65536 - base + 1));
        rejected(TestEvents.VALIDATOR.validate(TestEvents.bytes(e), null, TestEvents.PARTNERS, NOW),
                RejectionReason.PAYLOAD_TOO_LARGE);
    }
}
