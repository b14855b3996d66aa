package com.revshare.ledger.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
