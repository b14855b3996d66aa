package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.application.PendingRating;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.persistence.EntryRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rating and re-rating made pending by a new version or FX rate run in chunked transactions
 * (tests use chunks of 3), are durable across a crash between the command's commit and its
 * completion (the sweeper or the next close completes them, SPEC §3.5 "completes any rating or
 * re-rating still pending"), and page through parked events in the decider's order.
 */
@QuarkusTest
class PendingRatingTest {
    @Inject
    LedgerService ledger;
    @Inject
    PendingRating pending;
    @Inject
    EntryRepository entryRepository;
    @Inject
    Transactions tx;
    @Inject
    AgroalDataSource dataSource;

    private static UsageEvent usage(String partner, String id, String time, long quantity) {
        return new UsageEvent(partner, id, Instant.parse(time), "llama-3", "requests", quantity, null, null);
    }

    /** What a crash right after an agreement's commit leaves: the version and its request, nothing rated. */
    private void versionCommittedThenCrash(String partner, int version, String from, String unitPrice)
            throws Exception {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into agreement_version (partner_id, version, "
                    + "effective_from, currency, rules, actor, created_at) values (?, ?, ?::timestamptz, 'USD', "
                    + "?::jsonb, 'admin', now())")) {
                ps.setString(1, partner);
                ps.setInt(2, version);
                ps.setString(3, from);
                ps.setString(4, "[{\"id\":\"u" + version + "\",\"model\":\"*\",\"metric\":\"*\",\"type\":\"PER_UNIT\","
                        + "\"unitPrice\":\"" + unitPrice + "\",\"unitSize\":1}]");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into rating_request (partner_id, rerate, actor, "
                    + "requested_at) values (?, true, 'admin', now())")) {
                ps.setString(1, partner);
                ps.executeUpdate();
            }
        }
    }

    private long requests(String partner) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from rating_request where partner_id = ?")) {
            ps.setString(1, partner);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<LedgerEntry> entries(String partner) {
        return tx.inNew(c -> entryRepository.entriesAfter(c, partner, 0, 1000));
    }

    @Test
    void ratingLeftPendingByACrashIsCompletedByTheSweeper() throws Exception {
        String p = "pend-crash";
        Fixtures.partner(p, "USD");
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            events.add(usage(p, "e-" + i, "2026-04-0" + i + "T00:00:00Z", i));
        }
        ledger.recordUsage(events);
        versionCommittedThenCrash(p, 1, "2026-04-01T00:00:00Z", "1");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("unratedCount", equalTo(7)).body("lastSequence", equalTo(0));

        pending.completeAllPending();

        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("unratedCount", equalTo(0)).body("lastSequence", equalTo(7))
                .body("receivable", equalTo("28.00000000")); // 1 + 2 + … + 7
        assertThat(entries(p).stream().map(LedgerEntry::usageEventId).toList(),
                contains("e-1", "e-2", "e-3", "e-4", "e-5", "e-6", "e-7"));
        assertThat(requests(p), is(0L));
    }

    @Test
    void closeFirstCompletesAReRatingLeftPending() throws Exception {
        String p = "pend-close";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-03-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u1","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""");
        ledger.recordUsage(List.of(usage(p, "a", "2026-03-02T00:00:00Z", 10), usage(p, "b", "2026-03-10T00:00:00Z", 10),
                usage(p, "c", "2026-03-16T00:00:00Z", 10), usage(p, "d", "2026-03-20T00:00:00Z", 10),
                usage(p, "e", "2026-03-21T00:00:00Z", 10), usage(p, "f", "2026-03-22T00:00:00Z", 10)));
        versionCommittedThenCrash(p, 2, "2026-03-15T00:00:00Z", "2");

        // c, d, e, f are governed by version 2 now: 2 × 10 + 4 × 20
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/periods/2026-03/close")
                .then().statusCode(200).body("status", equalTo("CLOSED")).body("total", equalTo("100.00000000"))
                .body("eventCount", equalTo(6));
        List<LedgerEntry> entries = entries(p);
        assertThat(entries.stream().map(e -> e.kind() + " " + e.usageEventId() + " " + e.agreementVersion()).toList(),
                contains("USAGE a 1", "USAGE b 1", "USAGE c 1", "USAGE d 1", "USAGE e 1", "USAGE f 1",
                        "REVERSAL c 1", "USAGE c 2", "REVERSAL d 1", "USAGE d 2", "REVERSAL e 1", "USAGE e 2",
                        "REVERSAL f 1", "USAGE f 2", "PERIOD_CLOSED null null"));
        assertThat(requests(p), is(0L));
    }

    @Test
    void parkedEventsArePagedInTheDecidersOrderWithoutSkippingOrRepeating() {
        String p = "pend-page";
        Fixtures.partner(p, "USD");
        List<String> ids = List.of("a-10", "a_1", "A-1", "a-9", "a.1", "a-1", "b", "a", "a~", "Z", "0");
        List<UsageEvent> events = new ArrayList<>();
        for (String id : ids) {
            events.add(usage(p, id, "2026-05-05T00:00:00Z", 1)); // all at the same instant
        }
        events.add(usage(p, "early", "2026-05-04T00:00:00Z", 1));
        ledger.recordUsage(events);
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-05-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""");
        List<String> expected = new ArrayList<>(List.of("early"));
        expected.addAll(ids.stream().sorted().toList()); // String order, as the decider sorts
        assertThat(entries(p).stream().map(LedgerEntry::usageEventId).toList(), equalTo(expected));
    }

    /**
     * Ingest keeps nanoseconds (RFC 3339 allows any fraction). An event in the last nanoseconds of a
     * month and of a day belongs to that month and day however it is rated: at once, or parked then
     * rated from the store; its eventTime is published exactly.
     */
    @Test
    void anEventInTheLastNanosecondsOfAMonthStaysInThatMonthAndDayWhenRatedFromTheStore() {
        String p = "pend-nanos";
        Fixtures.partner(p, "USD");
        ledger.recordUsage(List.of(
                new UsageEvent(p, "june-last", Instant.parse("2026-06-30T23:59:59.999999999Z"), "llama-3", "requests",
                        5, null, null),
                new UsageEvent(p, "eur-day-last", Instant.parse("2026-06-29T23:59:59.9999996Z"), "llama-3",
                        "requests", 1, new com.revshare.ledger.domain.Revenue(new java.math.BigDecimal("10.00000000"),
                                "EUR"), null)));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/unrated").then()
                .body("time", contains("2026-06-29T23:59:59.999999600Z", "2026-06-30T23:59:59.999999999Z"));
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-06-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.5"},
                          {"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""");
        given().header("Authorization", Fixtures.admin()).contentType(io.restassured.http.ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.5\"}").put("/api/v1/fx-rates/2026-06-29")
                .then().statusCode(201);
        ledger.recordUsage(List.of(new UsageEvent(p, "july-last", Instant.parse("2026-07-31T23:59:59.9999995Z"),
                "llama-3", "requests", 2, null, null)));
        List<LedgerEntry> entries = entries(p);
        assertThat(entries.stream().map(e -> e.usageEventId() + " " + e.period() + " " + e.eventTime() + " "
                + e.amount()).toList(), contains(
                        "june-last 2026-06 2026-06-30T23:59:59.999999999Z 5.00000000",
                        "eur-day-last 2026-06 2026-06-29T23:59:59.999999600Z 7.50000000",
                        "july-last 2026-07 2026-07-31T23:59:59.999999500Z 2.00000000"));
    }
}
