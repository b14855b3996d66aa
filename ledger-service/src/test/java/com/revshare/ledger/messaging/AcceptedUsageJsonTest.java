package com.revshare.ledger.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.ledger.application.AcceptedRecord;
import com.revshare.ledger.domain.UsageEvent;

/** Accepted events are read exactly as the contract says, and anything the store could not hold is refused up front. */
class AcceptedUsageJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = "{\"partnerId\":\"aws\",\"eventId\":\"e-1\",\"time\":\"2026-11-01T12:00:00Z\","
            + "\"model\":\"llama-3.1-70b-instruct\",\"metric\":\"output_tokens\",\"quantity\":125000,"
            + "\"revenue\":{\"amount\":\"1.87500000\",\"currency\":\"USD\"},\"region\":\"us-east-1\","
            + "\"source\":\"partners/aws\",\"receivedAt\":\"2026-11-01T12:00:01Z\",\"ingestSequence\":7}";

    @Test
    void aContractValidAcceptedEventIsReadExactly() {
        ContractSchemas.assertValid("accepted-usage-event.v1.schema.json", VALID);
        UsageEvent e = AcceptedUsageJson.parse(JSON, VALID);
        assertEquals("aws", e.partnerId());
        assertEquals(Instant.parse("2026-11-01T12:00:00Z"), e.time());
        assertEquals(125000, e.quantity());
        assertEquals("1.87500000", e.revenue().amount().toPlainString());
        UsageEvent noRevenue = AcceptedUsageJson.parse(JSON, VALID.replace(
                "{\"amount\":\"1.87500000\",\"currency\":\"USD\"}", "null"));
        assertNull(noRevenue.revenue());
    }

    @Test
    void recordsTheStoreCouldNotHoldAreRefused() {
        for (String bad : new String[] {"not json", "[]", VALID.replace("\"aws\"", "\"AWS\""),
            VALID.replace("output_tokens", "tokens"), VALID.replace("125000", "-1"),
            VALID.replace("125000", "1000000000000001"), VALID.replace("\"1.87500000\"", "\"1e3\""),
            VALID.replace("\"USD\"", "\"usd\""), VALID.replace("llama-3.1-70b-instruct", "llama 3"),
            VALID.replace("\"e-1\"", "\"" + "x".repeat(129) + "\""), VALID.replace("2026-11-01T12:00:00Z", "yesterday"),
            VALID.replace("\"us-east-1\"", "\"" + "r".repeat(65) + "\""),
            VALID.replace("\"us-east-1\"", "\"" + "\uD835\uDC00".repeat(65) + "\""),
            VALID.replace("\"us-east-1\"", "\"us\\u0007east\""),
            VALID.replace("2026-11-01T12:00:00Z", "0000-06-01T00:00:00Z"),
            VALID.replace("2026-11-01T12:00:00Z", "1969-12-31T23:59:59.999999999Z")}) {
            assertThrows(IllegalArgumentException.class, () -> AcceptedUsageJson.parse(JSON, bad), bad);
        }
    }

    @Test
    void aRegionIsCountedInCodePointsAndTheEpochIsTheEarliestTime() {
        String astral = "\uD835\uDC00".repeat(64); // 64 code points, 128 UTF-16 units
        UsageEvent e = AcceptedUsageJson.parse(JSON, VALID.replace("\"us-east-1\"", "\"" + astral + "\"")
                .replace("2026-11-01T12:00:00Z", "1970-01-01T00:00:00Z"));
        assertEquals(astral, e.region());
        assertEquals(Instant.EPOCH, e.time());
        assertEquals(Instant.parse("2026-11-01T12:00:00.123456789Z"), AcceptedUsageJson.parse(JSON,
                VALID.replace("2026-11-01T12:00:00Z", "2026-11-01T12:00:00.123456789Z")).time());
    }

    @Test
    void whatCannotBeBookedIsUnprocessableUnderItsIdsAndWhatNamesNoIdsIsUnreadable() {
        AcceptedRecord year0 = AcceptedUsageJson.read(JSON, VALID.replace("2026-11-01T12:00:00Z",
                "0000-06-01T00:00:00Z"));
        AcceptedRecord.Unprocessable p = (AcceptedRecord.Unprocessable) year0;
        assertEquals("aws", p.partnerId());
        assertEquals("e-1", p.eventId());
        assertEquals(7L, p.ingestSequence());
        assertNull(p.time());
        assertEquals(VALID.replace("2026-11-01T12:00:00Z", "0000-06-01T00:00:00Z"), p.raw());
        assertEquals(AcceptedRecord.Unreadable.class, AcceptedUsageJson.read(JSON, "{\"partnerId\":\"aws\"}")
                .getClass());
        assertEquals(7L, ((AcceptedRecord.Usable) AcceptedUsageJson.read(JSON, VALID)).ingestSequence());
    }

    @Test
    void aNumericAmountIsReadExactlyFromItsTextNeverThroughADouble() {
        // given amounts as JSON numbers that a double would change (scale, or 0.1's binary expansion)
        String exact = VALID.replace("\"1.87500000\"", "1.87500000");
        String tenth = VALID.replace("\"1.87500000\"", "0.1");
        // when read with a mapper that has no big-decimal feature of its own
        // then the amounts are the decimals as written
        assertEquals("1.87500000", AcceptedUsageJson.parse(JSON, exact).revenue().amount().toPlainString());
        assertEquals(new java.math.BigDecimal("0.1"), AcceptedUsageJson.parse(JSON, tenth).revenue().amount());
    }

    @Test
    void aFieldOfTheWrongJsonTypeParksTheEventUnderItsIdsWithTheFirstReason() {
        String[][] cases = {
            {VALID.replace("125000", "true"), "quantity is not a non-negative integer"},
            {VALID.replace("125000", "125000.0"), "quantity is not a non-negative integer"},
            {VALID.replace("125000", "\"125000\"").replace("\"llama-3.1-70b-instruct\"", "5"), "model missing"},
            {VALID.replace("\"output_tokens\"", "[]"), "metric missing"},
            {VALID.replace("{\"amount\":\"1.87500000\",\"currency\":\"USD\"}", "\"1.87500000 USD\""),
                "revenue.amount missing"},
            {VALID.replace("\"1.87500000\"", "{}"), "revenue.amount is not a decimal amount"},
            {VALID.replace("\"USD\"", "840"), "currency missing"},
            {VALID.replace("\"us-east-1\"", "{\"name\":\"us-east-1\"}"), "region is not a string"},
            {VALID.replace("\"2026-11-01T12:00:00Z\"", "1793534400"), "time is not an RFC 3339 UTC instant"}};
        for (String[] c : cases) {
            // when
            AcceptedRecord read = AcceptedUsageJson.read(JSON, c[0]);
            // then
            AcceptedRecord.Unprocessable p = assertInstanceOf(AcceptedRecord.Unprocessable.class, read, c[0]);
            assertEquals("aws", p.partnerId(), c[0]);
            assertEquals("e-1", p.eventId(), c[0]);
            assertEquals(7L, p.ingestSequence(), c[0]);
            assertEquals(c[1], p.detail(), c[0]);
            assertEquals(c[0], p.raw(), c[0]);
        }
        // a quantity given as a string is read like the number
        assertEquals(125000, AcceptedUsageJson.parse(JSON, VALID.replace("125000", "\"125000\"")).quantity());
    }

    @Test
    void whatNamesNoPartnerAndEventIdIsUnreadableWithItsReason() {
        String[][] cases = {
            {"not json", "not JSON"}, {"[1,}", "not JSON"}, {VALID.substring(0, 40), "not JSON"},
            {"[]", "not a JSON object"}, {"42", "not a JSON object"}, {"null", "not a JSON object"},
            {"", "not a JSON object"},
            {VALID.replace("\"aws\"", "7"), "partnerId missing or not a partner id"},
            {VALID.replace("\"e-1\"", "null"), "eventId missing or not 1..128 printable ASCII characters"}};
        for (String[] c : cases) {
            AcceptedRecord read = AcceptedUsageJson.read(JSON, c[0]);
            assertEquals(c[1], assertInstanceOf(AcceptedRecord.Unreadable.class, read, c[0]).detail(), c[0]);
        }
    }

    @Test
    void aRepeatedMemberIsReadAsTheLastOneAndAnIngestSequenceOfTheWrongShapeIsNone() {
        // given a value that repeats a member after every member the ledger reads was seen
        String repeated = VALID.replace("\"ingestSequence\":7}", "\"ingestSequence\":7,\"quantity\":5}");
        // then the last one counts, as for any reader of the whole value
        assertEquals(5, AcceptedUsageJson.parse(JSON, repeated).quantity());
        for (String sequence : new String[] {"\"7\"", "0", "-7", "7.5", "99999999999999999999"}) {
            AcceptedRecord.Usable u = (AcceptedRecord.Usable) AcceptedUsageJson.read(JSON,
                    VALID.replace("\"ingestSequence\":7", "\"ingestSequence\":" + sequence));
            assertNull(u.ingestSequence(), sequence);
        }
    }

    @Test
    void unknownMembersNullsAndWhatFollowsTheObjectAreReadAsBefore() {
        // given unknown members of every JSON shape, before and inside the revenue object
        String unknown = VALID.replace("{\"partnerId\"", "{\"x\":[1,{\"partnerId\":\"gcp\"}],\"raw\":\"r\",\"partnerId\"")
                .replace("\"currency\":\"USD\"}", "\"currency\":\"USD\",\"amount2\":{\"a\":null}}");
        // then they are skipped, and raw is the value as it arrived
        AcceptedRecord.Usable u = (AcceptedRecord.Usable) AcceptedUsageJson.read(JSON, unknown);
        assertEquals("aws", u.event().partnerId());
        assertEquals(unknown, u.raw());
        // a JSON null is an absent field: no region, no revenue, no sequence; a missing amount is named
        UsageEvent nulls = AcceptedUsageJson.parse(JSON, VALID.replace("\"us-east-1\"", "null")
                .replace("\"ingestSequence\":7", "\"ingestSequence\":null"));
        assertNull(nulls.region());
        assertEquals("revenue.amount missing", ((AcceptedRecord.Unprocessable) AcceptedUsageJson.read(JSON,
                VALID.replace("\"1.87500000\"", "null"))).detail());
        assertEquals("time is not an RFC 3339 UTC instant", ((AcceptedRecord.Unprocessable) AcceptedUsageJson.read(
                JSON, VALID.replace("\"time\":\"2026-11-01T12:00:00Z\",", ""))).detail());
        assertEquals("time is not an RFC 3339 UTC instant", ((AcceptedRecord.Unprocessable) AcceptedUsageJson.read(JSON,
                VALID.replace("\"2026-11-01T12:00:00Z\"", "null"))).detail());
        // a number amount and a string amount are the same decimal, as written
        assertEquals(AcceptedUsageJson.parse(JSON, VALID).revenue(),
                AcceptedUsageJson.parse(JSON, VALID.replace("\"1.87500000\"", "1.87500000")).revenue());
        // nothing after the object's closing brace is read
        assertEquals(AcceptedUsageJson.parse(JSON, VALID), AcceptedUsageJson.parse(JSON, VALID + " }x"));
        assertEquals("not JSON", ((AcceptedRecord.Unreadable) AcceptedUsageJson.read(JSON, VALID.replace("}", "]")))
                .detail());
        assertEquals("not a JSON object", ((AcceptedRecord.Unreadable) AcceptedUsageJson.read(JSON, "null x")).detail());
    }

    @Test
    void aRevenueThatRepeatsItsAmountOrCurrencyAfterBothWereReadIsRefusedAsBefore() {
        // given revenue objects that repeat a member before and after both members were read
        String early = VALID.replace("{\"amount\":\"1.87500000\",", "{\"amount\":\"9\",\"amount\":\"1.87500000\",");
        String late = VALID.replace("\"currency\":\"USD\"}", "\"currency\":\"USD\",\"amount\":\"9\"}");
        String lateCurrency = VALID.replace("\"currency\":\"USD\"}", "\"currency\":\"USD\",\"x\":1,\"currency\":\"EUR\"}");
        // then a repetition before both were read counts as the last one, one after both refuses the record
        // (what the databind binding did, which had built the revenue by then)
        assertEquals("1.87500000", AcceptedUsageJson.parse(JSON, early).revenue().amount().toPlainString());
        for (String refused : new String[] {late, lateCurrency}) {
            assertEquals("not a JSON object", assertInstanceOf(AcceptedRecord.Unreadable.class,
                    AcceptedUsageJson.read(JSON, refused), refused).detail(), refused);
        }
        assertEquals("not JSON", ((AcceptedRecord.Unreadable) AcceptedUsageJson.read(JSON,
                late.substring(0, late.length() - 1) + ",")).detail());
    }
}
