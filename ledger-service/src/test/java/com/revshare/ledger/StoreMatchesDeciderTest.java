package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AgreementJson;
import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerConflictException;
import com.revshare.ledger.domain.LedgerContext;
import com.revshare.ledger.domain.LedgerDecider;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;
import com.revshare.ledger.persistence.EntryRepository;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The service loads, for every command, exactly the state the pure decider needs: one scenario that
 * touches every rule of SPEC §3 (graduated tiers straddling boundaries, a VOLUME revenue tier,
 * FX parking then rating, a duplicate, re-rating by a new version, a refused then forced close with
 * tier true-ups and a minimum, a late tiered event, an adjustment, a write-off, a cap from the
 * version governing the period's end) is run through the real service (HTTP + PostgreSQL) and
 * through {@link LedgerDecider} over an in-memory state; every entry must be the same. Key figures
 * are also checked against hand computations. Since the store writes the decider's own changes
 * ({@code LedgerChanges}: the fold's difference, no second fold in persistence) and the decider picks
 * the entries to re-rate from SQL's coarse candidates, this guards one implementation of SPEC §3: what
 * the store loads for each command and how it maps the changes to rows.
 */
@QuarkusTest
class StoreMatchesDeciderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String P = "parity-a";

    @Inject
    LedgerService ledger;
    @Inject
    EntryRepository entries;
    @Inject
    Transactions tx;

    private final PartnerLedger model = new PartnerLedger(P, "USD");
    private final Map<String, BigDecimal> rates = new HashMap<>();
    private final List<LedgerEntry> modelEntries = new ArrayList<>();

    private void decide(LedgerCommand command, String actor) {
        List<LedgerEvent> events = LedgerDecider.handle(command, model, new LedgerContext(Instant.now(), actor,
                (date, base, quote) -> rates.get(date + base + quote), UUID::randomUUID));
        events.stream().filter(e -> e instanceof LedgerEvent.EntryPosted)
                .forEach(e -> modelEntries.add(((LedgerEvent.EntryPosted) e).entry()));
    }

    private void agreement(String json) throws Exception {
        Fixtures.agreement(P, json);
        decide(new LedgerCommand.AddAgreementVersion(AgreementJson.draft(JSON.readTree(json))), "admin");
    }

    private void usage(UsageEvent... events) {
        ledger.recordUsage(List.of(events));
        decide(new LedgerCommand.RecordUsage(List.of(events)), null);
    }

    private void fx(String date, String base, String rate) {
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"" + base + "\",\"quote\":\"USD\",\"rate\":\"" + rate + "\"}")
                .put("/api/v1/fx-rates/" + date).then().statusCode(201);
        rates.put(LocalDate.parse(date) + base + "USD", new BigDecimal(rate));
        decide(new LedgerCommand.RatePending(), "admin");
    }

    private JsonPath close(String period, boolean force, int status) {
        JsonPath answer = given().header("Authorization", Fixtures.admin())
                .post("/api/v1/partners/" + P + "/periods/" + period + "/close" + (force ? "?force=true" : ""))
                .then().statusCode(status).extract().jsonPath();
        decide(new LedgerCommand.RatePending(), "admin"); // the service completes pending rating first, committed
        try {
            decide(new LedgerCommand.ClosePeriod(YearMonth.parse(period), force), "admin");
        } catch (LedgerConflictException e) {
            assertThat("the model refused what the service accepted", status, is(409));
        }
        return answer;
    }

    private static UsageEvent ev(String id, String time, String model, String metric, long quantity, String amount,
            String currency) {
        return new UsageEvent(P, id, Instant.parse(time), model, metric, quantity,
                amount == null ? null : new Revenue(new BigDecimal(amount), currency), "eu-west-1");
    }

    /** What must agree between service and model (entry ids differ; a reversal points at a sequence). */
    private static List<String> comparable(List<LedgerEntry> entries) {
        Map<UUID, Long> seqOf = new HashMap<>();
        entries.forEach(e -> seqOf.put(e.entryId(), e.sequence()));
        return entries.stream().map(e -> String.join("|", Long.toString(e.sequence()), e.kind().name(),
                e.period().toString(), e.amount().toPlainString(), String.valueOf(e.usageEventId()),
                String.valueOf(e.agreementVersion()), String.valueOf(e.ruleId()), String.valueOf(e.originalPeriod()),
                String.valueOf(e.quantity()),
                e.settlementRevenue() == null ? "null" : e.settlementRevenue().stripTrailingZeros().toPlainString(),
                e.fxRate() == null ? "null" : e.fxRate().stripTrailingZeros().toPlainString(),
                String.valueOf(e.reversesEntryId() == null ? null : seqOf.get(e.reversesEntryId())),
                String.valueOf(e.actor()), String.valueOf(e.memo()))).toList();
    }

    @Test
    void everyEntryOfAFullScenarioEqualsThePureDecidersEntry() throws Exception {
        Fixtures.partner(P, "USD");
        agreement("""
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":"50",
                 "rules":[
                  {"id":"g","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                   "tiers":[{"upTo":1000,"unitPrice":"0.123456789012","unitSize":1000},
                            {"upTo":2500,"unitPrice":"0.05","unitSize":1000},
                            {"upTo":null,"unitPrice":"0.01","unitSize":1000}]},
                  {"id":"v","model":"mistral*","metric":"*","type":"TIERED","basis":"REVENUE","mode":"VOLUME",
                   "tiers":[{"upTo":"100","rate":"0.2"},{"upTo":null,"rate":"0.1"}]},
                  {"id":"rev","model":"*","metric":"output_tokens","type":"PERCENT_OF_REVENUE","rate":"0.15"},
                  {"id":"req","model":"*","metric":"requests","type":"PER_UNIT","unitPrice":"0.002","unitSize":1}]}""");
        UsageEvent j1 = ev("j1", "2026-01-03T00:00:00Z", "llama-3.1-8b", "input_tokens", 777, null, null);
        usage(ev("k1", "2026-01-02T00:00:01Z", "llama-3.1-8b", "requests", 1, null, null),
                ev("k2", "2026-01-02T00:00:02Z", "llama-3.1-8b", "requests", 1, null, null),
                ev("k3", "2026-01-02T00:00:03Z", "llama-3.1-8b", "requests", 1, null, null),
                ev("k4", "2026-01-02T00:00:04Z", "llama-3.1-8b", "requests", 1, null, null),
                ev("k5", "2026-01-02T00:00:05Z", "llama-3.1-8b", "requests", 1, null, null),
                ev("k6", "2026-01-02T00:00:06Z", "llama-3.1-8b", "requests", 1, null, null), j1,
                ev("j2", "2026-01-04T00:00:00Z", "llama-3.1-8b", "input_tokens", 600, null, null),
                ev("j3", "2026-01-05T00:00:00Z", "llama-3.1-8b", "output_tokens", 1500, null, null),
                ev("j4", "2026-01-06T00:00:00Z", "mistral-7b", "output_tokens", 10, "60.12345678", "USD"),
                ev("j5", "2026-01-07T23:59:59Z", "mistral-7b", "output_tokens", 10, "50.00000000", "EUR"),
                ev("j6", "2026-01-08T00:00:00Z", "mistral-7b", "output_tokens", 10, "30.00000000", "USD"),
                ev("j7", "2026-01-09T00:00:00Z", "gpt-4", "output_tokens", 10, "10.00000001", "USD"),
                ev("j8", "2026-01-10T00:00:00Z", "gpt-4", "input_tokens", 10, null, null),
                ev("j9", "2026-01-11T00:00:00Z", "gpt-4", "requests", 7, null, null), j1);
        usage(j1,
                ev("f1", "2026-02-03T00:00:00Z", "llama-3.1-8b", "input_tokens", 5000, null, null),
                ev("f2", "2026-02-20T00:00:00Z", "llama-3.1-8b", "input_tokens", 1000, null, null),
                ev("f3", "2026-02-21T00:00:00Z", "mistral-7b", "output_tokens", 1, "200.00000000", "USD"),
                ev("f4", "2026-02-22T00:00:00Z", "gpt-4", "requests", 3, null, null));
        fx("2026-01-07", "EUR", "1.1");
        agreement("""
                {"effectiveFrom":"2026-02-15T00:00:00Z","currency":"USD","monthlyCap":"15",
                 "rules":[
                  {"id":"g2","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                   "tiers":[{"upTo":3000,"unitPrice":"0.02","unitSize":1000},{"upTo":null,"unitPrice":"0.01","unitSize":1000}]},
                  {"id":"rev2","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""");
        JsonPath refused = close("2026-01", false, 409);
        assertThat(refused.getInt("unratedCount"), is(1)); // j8: no rule for gpt-4 input_tokens
        JsonPath jan = close("2026-01", true, 200);
        usage(ev("late", "2026-01-20T00:00:00Z", "llama-3.1-8b", "input_tokens", 300, null, null));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-02\",\"amount\":\"-1.5\",\"memo\":\"goodwill\"}")
                .post("/api/v1/partners/" + P + "/adjustments").then().statusCode(201);
        decide(new LedgerCommand.PostAdjustment(YearMonth.parse("2026-02"), "-1.5", "goodwill"), "admin");
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"memo\":\"no price for requests under v2\"}")
                .post("/api/v1/partners/" + P + "/unrated/f4/write-off").then().statusCode(200);
        decide(new LedgerCommand.WriteOff("f4", "no price for requests under v2"), "finance");
        JsonPath feb = close("2026-02", false, 200);

        List<LedgerEntry> stored = tx.inNew(c -> entries.entriesAfter(c, P, 0, 10_000));
        assertThat(comparable(stored), contains(comparable(modelEntries).toArray()));

        // independent figures for January (v1):
        // g GRADUATED, 6 × 1 + 777 + 600 + 1500 = 2883 units: entries 6 × 0.00012346 (each 0.000123456789012),
        // 0.09592593 (777 in tier 1), 0.04594012 (217 in tier 1 + 383 in tier 2), 0.05968000 (1117 + 383);
        // month: 1000 × 0.000123456789012 + 1500 × 0.00005 + 383 × 0.00001 = 0.202286789012 → true-up -0.00000002
        BigDecimal gMonth = new BigDecimal("0.202286789012");
        // v VOLUME over 60.12345678 + 30 + 50 × 1.1 = 145.12345678: entries 12.02469136 + 6 + 5.5 (j5 after the
        // rate, at the second tier); month 145.12345678 × 0.1 = 14.512345678 → true-up -9.01234568
        BigDecimal vMonth = new BigDecimal("14.512345678");
        BigDecimal janUsage = gMonth.setScale(8, java.math.RoundingMode.HALF_EVEN)
                .add(vMonth.setScale(8, java.math.RoundingMode.HALF_EVEN))
                .add(new BigDecimal("1.50000000")) // j7: 10.00000001 × 0.15 = 1.5000000015
                .add(new BigDecimal("0.01400000")); // j9: 7 × 0.002
        assertThat(trueUp(stored, "g").toPlainString(), is("-0.00000002"));
        assertThat(trueUp(stored, "v").toPlainString(), is("-9.01234568"));
        assertThat(jan.getString("status"), is("CLOSED"));
        assertThat(jan.getString("total"), is("50.00000000")); // lifted to v1's minimum
        assertThat(jan.getString("amountDue"), is("50.00"));
        List<String> janKinds = new ArrayList<>(java.util.Collections.nCopies(14, "USAGE"));
        janKinds.addAll(List.of("TIER_TRUE_UP", "TIER_TRUE_UP", "MINIMUM_TRUE_UP", "PERIOD_CLOSED"));
        assertThat(kinds(stored, "2026-01"), equalTo(janKinds));
        LedgerEntry minimum = stored.stream().filter(e -> e.kind() == EntryKind.MINIMUM_TRUE_UP).findFirst().get();
        assertThat(minimum.amount(), equalTo(new BigDecimal("50").subtract(janUsage).setScale(8)));
        // February: late 300 at January's marginal price (2877 is in the third tier): 300 × 0.00001 = 0.003;
        // f1 5000 under v1 g (its own month counter): 0.123456789012 + 0.075 + 0.025 → 0.22345679;
        // f2 re-rated under v2 g2: 0.02; f3 re-rated under v2 rev2: 20; adjustment -1.5 → 18.74645679 > cap 15
        LedgerEntry late = stored.stream().filter(e -> e.kind() == EntryKind.LATE_USAGE).findFirst().get();
        assertThat(late.amount().toPlainString(), is("0.00300000"));
        assertThat(late.originalPeriod(), is(YearMonth.of(2026, 1)));
        LedgerEntry cap = stored.stream().filter(e -> e.kind() == EntryKind.CAP_ADJUSTMENT).findFirst().get();
        assertThat(cap.amount().toPlainString(), is("-3.74645679"));
        assertThat(feb.getString("total"), is("15.00000000"));
        assertThat(feb.getInt("eventCount"), is(4)); // f1, f2, f3 and the late event; f4 written off

        JsonPath balance = given().header("Authorization", Fixtures.finance())
                .get("/api/v1/partners/" + P + "/balance").then().statusCode(200).extract().jsonPath();
        assertThat(balance.getString("receivable"), is("65.00000000"));
        assertThat(balance.getLong("lastSequence"), is((long) stored.size()));
        assertThat(balance.getInt("unratedCount"), is(1));
        List<String> modelUnrated = model.usage().stream()
                .filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED).map(r -> r.event().eventId()).toList();
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + P + "/unrated").then()
                .statusCode(200).body("eventId", equalTo(modelUnrated)).body("[0].eventId", equalTo("j8"))
                .body("[0].reason", equalTo("NO_MATCHING_RULE"));
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** The balance reads a projection kept in the writing transactions: it must equal the fold of the entries. */
    @Test
    void theBalanceProjectionEqualsTheFoldOfEveryPartnersEntries() throws Exception {
        String p = "parity-proj";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-02-01T00:00:00Z","currency":"USD","monthlyMinimum":"3",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"0.5","unitSize":1}]}""");
        ledger.recordUsage(List.of(ev2(p, "a", "2026-02-03T00:00:00Z", 1), ev2(p, "b", "2026-02-20T00:00:00Z", 2)));
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-02-15T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"0.25","unitSize":1}]}""");
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/periods/2026-02/close")
                .then().statusCode(200).body("total", equalTo("1.00000000")).body("eventCount", equalTo(2));
        ledger.recordUsage(List.of(ev2(p, "late", "2026-02-21T00:00:00Z", 4)));

        String fold = "select partner_id, period, coalesce(sum(amount) filter (where kind <> 'PERIOD_CLOSED'), 0) "
                + "as total, count(*) filter (where kind in ('USAGE', 'LATE_USAGE')) - count(*) filter (where kind = "
                + "'REVERSAL') as events, max(closed_at) as closed from ledger_entry where kind <> 'PAYMENT' " // no charge
                + "group by 1, 2 order by 1, 2";
        String projection = "select partner_id, period, total, event_count, closed_at from period_balance order by 1, 2";
        assertThat(rows(projection), equalTo(rows(fold)));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("periods.period", contains("2026-02", "2026-03")).body("periods.total",
                        contains("1.00000000", "1.00000000")) // 0.5 + 2 × 0.25 (version 2, no minimum); late 4 × 0.25
                .body("periods.eventCount", contains(2, 1)).body("receivable", equalTo("2.00000000"));
    }

    private static UsageEvent ev2(String partner, String id, String time, long quantity) {
        return new UsageEvent(partner, id, Instant.parse(time), "m", "requests", quantity, null, null);
    }

    private List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(sql); var rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3).stripTrailingZeros()
                        .toPlainString() + " " + rs.getLong(4) + " " + rs.getObject(5, java.time.OffsetDateTime.class));
            }
        }
        return rows;
    }

    private static BigDecimal trueUp(List<LedgerEntry> entries, String ruleId) {
        return entries.stream().filter(e -> e.kind() == EntryKind.TIER_TRUE_UP && e.ruleId().equals(ruleId))
                .map(LedgerEntry::amount).findFirst().orElseThrow();
    }

    private static List<String> kinds(List<LedgerEntry> entries, String period) {
        return entries.stream().filter(e -> e.period().equals(YearMonth.parse(period)))
                .map(e -> e.kind().name()).toList();
    }
}
