package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.reporting.persistence.ReadModels;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 14: a statement's proof (SPEC §4.1) comes from the proof in progress that the projection
 * stores per period (period_proof), extended batch by batch, and it equals the hash of all the
 * period's entries computed independently here; a period whose stored proof is missing (entries
 * older than it, or written around the projection, like the benchmark's bulk history) is hashed
 * from its entries, by the statement (which then stores it) or by the projection's next batch.
 */
@QuarkusTest
class StoredProofTest {
    private static final String P = "proof-store";
    private static final String PERIOD = "2026-06";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReadModels readModels;

    @Test
    void theStoredProofEqualsTheHashOfEveryEntryAndIsRebuiltWhenMissing() throws Exception {
        // given a partner's entries of one period (and one of another) published in three batches
        List<EntryFixtures.Entry> ofPeriod = new ArrayList<>();
        long sequence = 0;
        for (int batch = 0; batch < 3; batch++) {
            List<EntryFixtures.Entry> published = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sequence++;
                String period = sequence % 10 == 0 ? "2026-07" : PERIOD;
                EntryFixtures.Entry e = EntryFixtures.usage(P, sequence, period, "m-" + (i % 3), "requests", i + 1,
                        "1." + String.format("%08d", sequence), null, "USD")
                        .set("memo", "a \"memo\" with a back\\slash and a tab\t" + sequence);
                published.add(e);
                if (period.equals(PERIOD)) {
                    ofPeriod.add(e);
                }
            }
            Publisher.entries(published);
            Publisher.awaitApplied(P, sequence);
        }

        // (the text COPY of the entries keeps payloads whose JSON escapes quotes, backslashes and tabs)
        given().auth().oauth2(TestTokens.finance()).queryParam("limit", 1)
                .get("/api/v1/reports/partners/" + P + "/entries").then().statusCode(200)
                .body("entries[0].memo", is("a \"memo\" with a back\\slash and a tab\t1"));

        // when the statement is read, then its proof is the independent one, from the stored row
        assertProof(ofPeriod);
        assertEquals(ofPeriod.size(), storedCount());

        // given the stored proof gone, when the statement is read, then hashed from the entries and stored again
        deleteStoredProof();
        assertProof(ofPeriod);
        assertEquals(ofPeriod.size(), storedCount());

        // given the stored proof gone, when one more entry of the period is applied, then the projection
        // hashes the period's stored entries first and goes on from there
        deleteStoredProof();
        sequence++;
        EntryFixtures.Entry last = EntryFixtures.usage(P, sequence, PERIOD, "m-0", "requests", 7, "2.00000000", null,
                "USD");
        ofPeriod.add(last);
        Publisher.entries(last);
        Publisher.awaitApplied(P, sequence);
        assertEquals(ofPeriod.size(), storedCount());
        assertProof(ofPeriod);
    }

    private static void assertProof(List<EntryFixtures.Entry> entries) throws Exception {
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + P + "/statements/" + PERIOD)
                .then().statusCode(200).body("proof.entryCount", is(entries.size()))
                .body("proof.firstSequence", is((int) entries.get(0).sequence()))
                .body("proof.lastSequence", is((int) entries.get(entries.size() - 1).sequence()))
                .body("proof.sha256", is(proofOf(entries)));
    }

    /** SPEC §4.1 over the entries as published. */
    private static String proofOf(List<EntryFixtures.Entry> entries) throws Exception {
        StringBuilder text = new StringBuilder();
        for (EntryFixtures.Entry e : entries) {
            text.append(e.sequence());
            for (String f : new String[] { "entryId", "kind", "amount", "currency", "usageEventId", "model", "metric",
                    "quantity", "settlementRevenue", "agreementVersion", "ruleId", "reversesEntryId",
                    "originalPeriod" }) {
                Object v = e.get(f);
                text.append('|').append(v == null ? "" : v.toString());
            }
            text.append('\n');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private long storedCount() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("select entry_count from " + readModels.active(c)
                        + ".period_proof where partner_id = ? and period = ?")) {
            p.setString(1, P);
            p.setString(2, PERIOD);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private void deleteStoredProof() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("delete from " + readModels.active(c)
                        + ".period_proof where partner_id = ? and period = ?")) {
            p.setString(1, P);
            p.setString(2, PERIOD);
            assertEquals(1, p.executeUpdate());
        }
    }
}
