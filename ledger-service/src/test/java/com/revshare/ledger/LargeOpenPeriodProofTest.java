package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.PeriodProof;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.persistence.EntryRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 13.4 through the API and the real store: the proof of an OPEN month with 20,000 events — several
 * write buffers of the replay's temporary table, parked events, a version that re-rates the month's last
 * hours in chunks of the test's chunk size and rates the parked events it now covers, then more usage under
 * both versions — is its stored entries' hash with a matching replay, the replay's records remembered in the
 * proof's temporary table.
 */
@QuarkusTest
class LargeOpenPeriodProofTest {
    private static final String P = "proof-large";
    private static final int EVENTS = 20_000;
    private static final int LATE = 300;

    @Inject
    LedgerService ledger;
    @Inject
    EntryRepository entries;
    @Inject
    AgroalDataSource dataSource;

    /** Events {@code from}.. of the partner, {@code stepS} seconds apart from {@code start} (plus n % 3 ns). */
    private static List<UsageEvent> events(int from, int count, Instant start, long stepS) {
        List<UsageEvent> events = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            events.add(new UsageEvent(P, "big-" + n, start.plusSeconds((n - from) * stepS).plusNanos(n % 3),
                    n % 40 == 0 ? "mistral-7b" : "llama-3", "output_tokens", 100 + n % 11, null, null));
        }
        return events;
    }

    @Test
    void theProofOfAnOpenMonthWithTwentyThousandEventsMatchesItsReplay() throws Exception {
        // given a partner whose November (OPEN) has 300 events of its last days, every 40th for a model without
        // a rule (parked)
        Fixtures.partner(P, "USD");
        Fixtures.agreement(P, """
                {"effectiveFrom":"2026-11-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"llama","model":"llama*","metric":"*","type":"PER_UNIT","unitPrice":"0.0021","unitSize":1}]}""");
        ledger.recordUsage(events(0, LATE, Instant.parse("2026-11-28T00:00:00Z"), 240));
        // when a version from Nov 28 12:00 (llama re-priced, mistral covered) re-rates the later half of them in
        // chunks and rates the parked ones it covers
        Fixtures.agreement(P, """
                {"effectiveFrom":"2026-11-28T12:00:00Z","currency":"USD",
                 "rules":[{"id":"llama","model":"llama*","metric":"*","type":"PER_UNIT","unitPrice":"0.0023","unitSize":1},
                          {"id":"mistral","model":"mistral*","metric":"*","type":"PER_UNIT","unitPrice":"0.001","unitSize":1}]}""");
        // and 19,700 more events arrive over the whole month, in batches of 1,000
        for (int from = LATE; from < EVENTS; from += 1000) {
            ledger.recordUsage(events(from, Math.min(1000, EVENTS - from), Instant.parse("2026-11-01T00:00:00Z"), 125));
        }

        // then November's proof is its stored entries' hash and the replay matches
        PeriodProof stored = new PeriodProof();
        long reversals = 0;
        try (var c = dataSource.getConnection()) {
            for (LedgerEntry e : entries.periodEntries(c, P, YearMonth.parse("2026-11"))) {
                stored.add(e);
                reversals += e.kind() == EntryKind.REVERSAL ? 1 : 0;
            }
        }
        PeriodProof.Result expected = stored.result();
        assertThat(reversals, greaterThan(100L));
        assertThat(expected.entryCount(), greaterThan(19_000L));
        JsonPath proof = given().header("Authorization", Fixtures.finance())
                .get("/api/v1/partners/" + P + "/periods/2026-11/proof").then().statusCode(200).extract().jsonPath();
        assertThat(proof.getString("status"), is("OPEN"));
        assertThat(proof.getLong("entryCount"), is(expected.entryCount()));
        assertThat(proof.getString("sha256"), is(expected.sha256()));
        assertThat(proof.getBoolean("replayMatches"), is(true));
    }
}
