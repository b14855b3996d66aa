package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Contract: what this module's tests publish in the ledger's place matches docs/events, and the
 * drill-down returns entries that are still valid ledger entries (SPEC §4) with every field.
 */
@QuarkusTest
class ContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fixturesAndDrillDownEntriesMatchTheLedgerEntrySchema() throws Exception {
        String p = "ct-partner";
        String partnerJson = EntryFixtures.partner(p, "Contract", "EUR");
        ContractSchemas.assertValid("partner.v1.schema.json", partnerJson);
        EntryFixtures.Entry usage = EntryFixtures.usage(p, 1, "2026-09", "llama-3.1-70b-instruct", "output_tokens",
                125000, "0.28125000", "1.87500000", "EUR");
        usage.set("revenue", Map.of("amount", "1.73000000", "currency", "USD")).set("fxRate", "0.9230769231")
                .set("settlementRevenue", "1.596923076963000000");
        List<EntryFixtures.Entry> entries = List.of(usage,
                EntryFixtures.reversal(usage, 2),
                EntryFixtures.lateUsage(p, 3, "2026-09", "2026-08", "m", "requests", 4, "0.40000000", "EUR"),
                EntryFixtures.adjustment(p, 4, "2026-09", "TIER_TRUE_UP", "-0.00000001", "EUR"),
                EntryFixtures.adjustment(p, 5, "2026-09", "MINIMUM_TRUE_UP", "10.00000000", "EUR"),
                EntryFixtures.adjustment(p, 6, "2026-09", "CAP_ADJUSTMENT", "-1.50000000", "EUR"),
                EntryFixtures.adjustment(p, 7, "2026-09", "MANUAL_ADJUSTMENT", "2.00000000", "EUR"),
                EntryFixtures.periodClosed(p, 8, "2026-09", "EUR", Instant.parse("2026-10-01T00:05:00.123Z")));
        for (EntryFixtures.Entry e : entries) {
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", e.json());
        }
        ContractSchemas.assertValid("ledger-entry.v1.schema.json",
                EntryFixtures.payment(p, 99, "2026-09", "5.00000000", "EUR", "pay-1", "2026-10-02", "wire").json());
        Publisher.raw(com.revshare.infra.Topics.PARTNERS, p, partnerJson);
        Publisher.entries(entries);
        Publisher.awaitApplied(p, 8);

        String body = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/entries")
                .then().statusCode(200).extract().asString();
        JsonNode page = JSON.readTree(body);
        assertEquals(8, page.get("entries").size());
        for (int i = 0; i < 8; i++) {
            JsonNode served = page.get("entries").get(i);
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", served.toString());
            // published by an older ledger (no v2 fields): served as published, with the v2 fields
            // added: the accounts SPEC §4 fixes by kind, the payment fields null
            com.fasterxml.jackson.databind.node.ObjectNode expected =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(entries.get(i).json());
            boolean closed = "PERIOD_CLOSED".equals(expected.get("kind").asText());
            expected.put("debitAccount", closed ? null : "partners/" + p + "/receivable");
            expected.put("creditAccount", closed ? null : "revenue/" + p + "/share");
            expected.putNull("paymentId");
            expected.putNull("receivedOn");
            expected.putNull("reference");
            assertEquals(expected, served, "entry " + (i + 1) + " served as published");
        }
    }
}
