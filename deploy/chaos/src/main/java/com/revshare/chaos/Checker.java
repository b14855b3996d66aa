package com.revshare.chaos;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * Waits for the pipeline to go idle, then checks the invariants of issue 10 against what the
 * suite computed itself: every unique event booked exactly once at its exact amount, no entry
 * twice, gapless sequences, intake = ledger, reporting = ledger entry for entry, balanced books,
 * every hostile record rejected, every instance ready.
 */
final class Checker {
    /** One invariant's verdict with the evidence for it. */
    record Invariant(String name, boolean pass, String evidence) {
    }

    private final Options options;
    private final Workload workload;
    private final ChaosSystem system;
    private final Streamer streamer;
    private final SystemReads reads;
    final List<Invariant> invariants = new ArrayList<>();
    final Map<String, Object> facts = new LinkedHashMap<>();

    /** Expected per partner: unique events, their total, and the index range. */
    private final Map<String, Long> expectedCount = new TreeMap<>();
    private final Map<String, BigDecimal> expectedTotal = new TreeMap<>();

    Checker(Options options, Workload workload, ChaosSystem system, Streamer streamer) {
        this.options = options;
        this.workload = workload;
        this.system = system;
        this.streamer = streamer;
        this.reads = new SystemReads(system);
        for (String p : workload.partners) {
            expectedCount.put(p, 0L);
            expectedTotal.put(p, BigDecimal.ZERO);
        }
        for (int i = 0; i < options.events; i++) {
            Workload.Event e = workload.event(i);
            expectedCount.merge(e.partner(), 1L, Long::sum);
            expectedTotal.merge(e.partner(), e.expectedAmount(), BigDecimal::add);
        }
    }

    // ---- idle -----------------------------------------------------------------------------------

    /** Per partner: ledger lastSequence, ingestSequence, eventCount, reporting freshness, intake lastIngestSequence. */
    private Map<String, List<Object>> snapshot() {
        Map<String, List<Object>> s = new TreeMap<>();
        Map<String, Long> freshness = reads.freshness();
        for (String p : workload.partners) {
            JsonNode balance = reads.balance(p);
            JsonNode intake = reads.intake(p);
            s.put(p, java.util.Arrays.asList(
                    balance == null ? null : balance.path("lastSequence").asLong(),
                    balance == null || !balance.has("ingestSequence") ? null : balance.path("ingestSequence").asLong(),
                    balance == null ? null : eventCount(balance),
                    freshness.get(p),
                    intake == null || !intake.has("lastIngestSequence") ? null : intake.path("lastIngestSequence").asLong()));
        }
        return s;
    }

    private boolean complete(Map<String, List<Object>> s) {
        for (String p : workload.partners) {
            List<Object> v = s.get(p);
            if (!Objects.equals(v.get(2), expectedCount.get(p)) || !Objects.equals(v.get(0), v.get(3))) {
                return false;
            }
            if (v.get(1) != null && v.get(4) != null && !Objects.equals(v.get(1), v.get(4))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls until the figures are complete and stable over two polls, or show no progress for
     * {@code stallSeconds} (then the checks report what is missing). Returns seconds waited.
     */
    double awaitIdle() {
        long start = System.nanoTime();
        long lastChange = start;
        Map<String, List<Object>> previous = null;
        while (true) {
            Map<String, List<Object>> now = snapshot();
            if (now.equals(previous)) {
                if (complete(now)) {
                    break;
                }
                if (System.nanoTime() - lastChange > options.stallSeconds * 1_000_000_000L) {
                    System.out.println("[chaos] no progress for " + options.stallSeconds + " s: checking as is");
                    break;
                }
            } else {
                lastChange = System.nanoTime();
                System.out.println("[chaos] waiting for the pipeline: " + now);
            }
            previous = now;
            Api.pause(3000);
        }
        double waited = (System.nanoTime() - start) / 1e9;
        facts.put("idleWaitSeconds", Math.round(waited));
        return waited;
    }

    // ---- checks ---------------------------------------------------------------------------------

    void checkAll() {
        Map<String, Map<Long, JsonNode>> published = reads.publishedEntries();
        facts.put("entriesPublished", reads.publishedRecords());
        facts.put("entriesDistinct", reads.publishedDistinct());
        Map<String, List<JsonNode>> reported = new TreeMap<>();
        for (String p : workload.partners) {
            reported.put(p, reads.reportingEntries(p));
        }
        Map<String, JsonNode> balances = new TreeMap<>();
        Map<String, JsonNode> intakes = new TreeMap<>();
        for (String p : workload.partners) {
            balances.put(p, reads.balance(p));
            intakes.put(p, reads.intake(p));
        }
        Map<String, Long> freshness = reads.freshness();

        bookedExactlyOnce(reported);
        exactTotals(reported, balances);
        noDuplicateEntry(published);
        gapless(published, reported, balances);
        intakeEqualsLedger(intakes, balances);
        freshnessEqualsLedger(freshness, balances);
        reportingEqualsLedger(published, reported);
        booksBalance(published, balances);
        nothingParked(balances);
        answersHonoured();
        hostileRecordsRejected();
        everyInstanceReady();
    }

    private void bookedExactlyOnce(Map<String, List<JsonNode>> reported) {
        int[] net = new int[options.events];
        List<String> problems = new ArrayList<>();
        long unknown = 0;
        long wrongAmount = 0;
        long wrongKind = 0;
        for (List<JsonNode> entries : reported.values()) {
            for (JsonNode e : entries) {
                String kind = e.path("kind").asText();
                if (!kind.equals("USAGE") && !kind.equals("LATE_USAGE") && !kind.equals("REVERSAL")) {
                    continue;
                }
                int index = workload.indexOf(e.path("usageEventId").asText(null));
                if (index < 0) {
                    unknown++;
                    add(problems, "entry for an event the suite never sent: " + e);
                    continue;
                }
                net[index] += kind.equals("REVERSAL") ? -1 : 1;
                if (kind.equals("REVERSAL")) {
                    continue;
                }
                Workload.Event expected = workload.event(index);
                String amount = e.path("amount").asText(null);
                if (amount == null || new BigDecimal(amount).compareTo(expected.expectedAmount()) != 0) {
                    wrongAmount++;
                    add(problems, expected.id() + " booked at " + e.path("amount").asText() + ", expected "
                            + expected.expectedAmount().toPlainString());
                }
                String expectedKind = expected.late() ? "LATE_USAGE" : "USAGE";
                if (!kind.equals(expectedKind) || expected.late()
                        && !workload.closedMonth.toString().equals(e.path("originalPeriod").asText(null))) {
                    wrongKind++;
                    add(problems, expected.id() + " booked as " + kind + " originalPeriod "
                            + e.path("originalPeriod").asText(null) + ", expected " + expectedKind);
                }
            }
        }
        long lost = 0;
        long doubled = 0;
        for (int i = 0; i < net.length; i++) {
            if (net[i] == 0) {
                lost++;
                add(problems, "lost: " + workload.event(i).id());
            } else if (net[i] > 1) {
                doubled++;
                add(problems, "booked " + net[i] + " times: " + workload.event(i).id());
            }
        }
        facts.put("lost", lost);
        facts.put("doubled", doubled);
        record("every unique event booked exactly once, at its exact amount and kind",
                lost == 0 && doubled == 0 && unknown == 0 && wrongAmount == 0 && wrongKind == 0,
                "%d unique events; lost %d, doubled %d, unknown %d, wrong amount %d, wrong kind %d%s".formatted(
                        options.events, lost, doubled, unknown, wrongAmount, wrongKind, examples(problems)));
    }

    private void exactTotals(Map<String, List<JsonNode>> reported, Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        for (String p : workload.partners) {
            BigDecimal fromEntries = reported.get(p).stream().filter(Checker::isCharge)
                    .map(e -> new BigDecimal(e.path("amount").asText())).reduce(BigDecimal.ZERO, BigDecimal::add);
            JsonNode b = balances.get(p);
            BigDecimal fromBalance = BigDecimal.ZERO;
            if (b != null) {
                for (JsonNode period : b.path("periods")) {
                    fromBalance = fromBalance.add(new BigDecimal(period.path("total").asText("0")));
                }
            }
            long count = b == null ? -1 : eventCount(b);
            BigDecimal expected = expectedTotal.get(p);
            if (fromEntries.compareTo(expected) != 0 || fromBalance.compareTo(expected) != 0
                    || count != expectedCount.get(p)) {
                problems.add("%s: expected %s over %d events; reporting entries sum %s; ledger periods total %s over %d events"
                        .formatted(p, expected.toPlainString(), expectedCount.get(p), fromEntries.toPlainString(),
                                fromBalance.toPlainString(), count));
            }
        }
        record("exact totals per partner (computed by the suite with BigDecimal)", problems.isEmpty(),
                problems.isEmpty() ? "every partner's total and event count equal the suite's: "
                        + expectedTotal.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().toPlainString())
                                .collect(Collectors.joining(", "))
                        : String.join("; ", problems));
    }

    private void noDuplicateEntry(Map<String, Map<Long, JsonNode>> published) {
        List<String> problems = new ArrayList<>(reads.problems());
        for (var partner : published.entrySet()) {
            Map<String, Long> byEvent = new HashMap<>();
            for (JsonNode e : partner.getValue().values()) {
                String kind = e.path("kind").asText();
                if (kind.equals("USAGE") || kind.equals("LATE_USAGE")) {
                    Long other = byEvent.put(e.path("usageEventId").asText(), e.path("sequence").asLong());
                    if (other != null) {
                        add(problems, partner.getKey() + ": usageEventId " + e.path("usageEventId").asText()
                                + " at sequences " + other + " and " + e.path("sequence").asLong());
                    }
                }
            }
        }
        record("no duplicate entry (by sequence, and by usageEventId)", problems.isEmpty(),
                "%d entries published %d times (%d re-publications, harmless by sequence)%s".formatted(
                        reads.publishedDistinct(), reads.publishedRecords(), reads.publishedRecords() - reads.publishedDistinct(), examples(problems)));
    }

    private void gapless(Map<String, Map<Long, JsonNode>> published, Map<String, List<JsonNode>> reported,
            Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        for (String p : workload.partners) {
            long last = balances.get(p) == null ? -1 : balances.get(p).path("lastSequence").asLong();
            Set<Long> seqs = published.getOrDefault(p, Map.of()).keySet();
            long max = seqs.stream().mapToLong(Long::longValue).max().orElse(0);
            if (seqs.size() != max || max != last) {
                problems.add("%s: topic has %d distinct sequences up to %d, ledger lastSequence %d".formatted(p,
                        seqs.size(), max, last));
            }
            List<JsonNode> rep = reported.get(p);
            for (int i = 0; i < rep.size(); i++) {
                if (rep.get(i).path("sequence").asLong() != i + 1) {
                    problems.add(p + ": reporting's entry #" + (i + 1) + " has sequence " + rep.get(i).path("sequence"));
                    break;
                }
            }
        }
        record("gapless sequences per partner (topic, reporting, ledger lastSequence)", problems.isEmpty(),
                problems.isEmpty() ? "1..lastSequence for every partner" : String.join("; ", problems));
    }

    private void intakeEqualsLedger(Map<String, JsonNode> intakes, Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        List<String> ok = new ArrayList<>();
        for (String p : workload.partners) {
            JsonNode in = intakes.get(p);
            JsonNode b = balances.get(p);
            String last = in == null ? "intake unavailable (" + reads.lastIntakeStatus() + ")"
                    : in.has("lastIngestSequence") ? in.path("lastIngestSequence").asText() : "no lastIngestSequence";
            String ingestSeq = b == null ? "balance unavailable"
                    : b.has("ingestSequence") ? b.path("ingestSequence").asText() : "no ingestSequence in balance";
            String accepted = in == null ? "?" : in.path("accepted").asText("?");
            String expected = Long.toString(expectedCount.get(p));
            if (!last.equals(ingestSeq) || !last.equals(expected) || !accepted.equals(expected)) {
                problems.add("%s: intake.lastIngestSequence %s, intake.accepted %s, ledger ingestSequence %s, unique events %s"
                        .formatted(p, last, accepted, ingestSeq, expected));
            } else {
                ok.add(p + "=" + last);
            }
        }
        record("intake.lastIngestSequence = ledger ingestSequence = unique events (SPEC §2.7)", problems.isEmpty(),
                problems.isEmpty() ? String.join(", ", ok) : String.join("; ", problems));
    }

    private void freshnessEqualsLedger(Map<String, Long> freshness, Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        for (String p : workload.partners) {
            Long f = freshness.get(p);
            long last = balances.get(p) == null ? -1 : balances.get(p).path("lastSequence").asLong();
            if (f == null || f != last) {
                problems.add(p + ": freshness " + f + ", ledger lastSequence " + last);
            }
        }
        record("reporting freshness sequence = ledger lastSequence", problems.isEmpty(),
                problems.isEmpty() ? "for every partner" : String.join("; ", problems));
    }

    private void reportingEqualsLedger(Map<String, Map<Long, JsonNode>> published, Map<String, List<JsonNode>> reported) {
        List<String> problems = new ArrayList<>();
        long compared = 0;
        for (String p : workload.partners) {
            Map<Long, JsonNode> pub = published.getOrDefault(p, Map.of());
            List<JsonNode> rep = reported.get(p);
            if (rep.size() != pub.size()) {
                add(problems, p + ": reporting holds " + rep.size() + " entries, the ledger published " + pub.size());
            }
            for (JsonNode r : rep) {
                JsonNode l = pub.get(r.path("sequence").asLong());
                compared++;
                if (l == null) {
                    add(problems, p + ": reporting has sequence " + r.path("sequence") + " the ledger never published");
                } else if (!sameEntry(l, r)) {
                    add(problems, p + " #" + r.path("sequence") + ": ledger " + l + " vs reporting " + r);
                }
            }
        }
        record("reporting's entries = the ledger's published entries (deduped by sequence)", problems.isEmpty(),
                compared + " entries compared field by field" + examples(problems));
    }

    private static boolean sameEntry(JsonNode l, JsonNode r) {
        for (String f : List.of("entryId", "partnerId", "sequence", "period", "kind", "currency", "usageEventId",
                "model", "metric", "originalPeriod", "agreementVersion", "ruleId")) {
            if (!Objects.equals(l.path(f).asText(null), r.path(f).asText(null))) {
                return false;
            }
        }
        for (String f : List.of("amount", "quantity", "settlementRevenue")) {
            String a = l.path(f).asText(null);
            String b = r.path(f).asText(null);
            if (a == null || b == null ? a != b : new BigDecimal(a).compareTo(new BigDecimal(b)) != 0) {
                return false;
            }
        }
        return true;
    }

    private void booksBalance(Map<String, Map<Long, JsonNode>> published, Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        Map<String, BigDecimal> debits = new TreeMap<>();
        Map<String, BigDecimal> credits = new TreeMap<>();
        for (String p : workload.partners) {
            BigDecimal charges = BigDecimal.ZERO;
            for (JsonNode e : published.getOrDefault(p, Map.of()).values()) {
                if (!isCharge(e) && !"PAYMENT".equals(e.path("kind").asText())) {
                    continue;
                }
                BigDecimal amount = new BigDecimal(e.path("amount").asText());
                String currency = e.path("currency").asText();
                String debit = e.path("debitAccount").asText(null);
                String credit = e.path("creditAccount").asText(null);
                if (isCharge(e)) {
                    charges = charges.add(amount);
                    if (!("partners/" + p + "/receivable").equals(debit) || !("revenue/" + p + "/share").equals(credit)) {
                        add(problems, p + " #" + e.path("sequence") + " " + e.path("kind").asText() + ": debit " + debit
                                + ", credit " + credit);
                    }
                } else {
                    charges = charges.subtract(amount);
                }
                debits.merge(currency, amount, BigDecimal::add);
                credits.merge(currency, amount, BigDecimal::add);
            }
            JsonNode b = balances.get(p);
            BigDecimal receivable = b == null ? null : new BigDecimal(b.path("receivable").asText("0"));
            if (receivable == null || receivable.compareTo(charges) != 0) {
                add(problems, p + ": ledger receivable " + receivable + ", Σ charges − Σ payments over its entries "
                        + charges.toPlainString());
            }
        }
        record("the books balance (each charge debits receivable and credits share; receivable = Σ entries)",
                problems.isEmpty(), "Σ debits = Σ credits per currency: " + debits + examples(problems));
    }

    private void nothingParked(Map<String, JsonNode> balances) {
        List<String> problems = new ArrayList<>();
        for (String p : workload.partners) {
            JsonNode b = balances.get(p);
            if (b == null || b.path("unratedCount").asLong(-1) != 0) {
                problems.add(p + ": unratedCount " + (b == null ? "?" : b.path("unratedCount").asText()));
            }
        }
        record("nothing parked (every event of the run is ratable)", problems.isEmpty(),
                problems.isEmpty() ? "unratedCount 0 for every partner" : String.join("; ", problems));
    }

    private void answersHonoured() {
        List<String> v = new ArrayList<>(streamer.violations).stream().filter(s -> !s.startsWith("HTTP batch of")
                || !s.contains("hostile")).filter(s -> !s.startsWith("hostile record")).toList();
        record("HTTP answers: no valid event rejected, every batch accounted for", v.isEmpty(),
                "%d batches (%d events), %d re-sent after a failure or timeout, %d duplicates answered%s".formatted(
                        streamer.httpBatches.get(), streamer.httpEvents.get(), streamer.httpRetries.get(),
                        streamer.httpDuplicatesAnswered.get(), examples(v)));
    }

    private void hostileRecordsRejected() {
        Set<String> rejectedSha = reads.rejectedShas();
        Set<String> missing = new HashSet<>(streamer.kafkaFuzzSha);
        missing.removeAll(rejectedSha);
        List<String> problems = new ArrayList<>(streamer.violations.stream()
                .filter(s -> s.startsWith("hostile record") || s.startsWith("HTTP batch of") && s.contains("hostile"))
                .toList());
        if (!missing.isEmpty()) {
            problems.add(0, missing.size() + " of " + streamer.kafkaFuzzSha.size()
                    + " hostile Kafka records have no rejection on " + Topics.USAGE_REJECTED + " (sha256 e.g. "
                    + missing.iterator().next() + ")");
        }
        facts.put("rejectionsOnTopic", rejectedSha.size());
        record("every hostile record rejected with a reason, none stops a consumer", problems.isEmpty(),
                "%d over Kafka (each found by its sha256 on %s), %d over HTTP (%d rejections answered)%s".formatted(
                        streamer.fuzzKafka.get(), Topics.USAGE_REJECTED, streamer.fuzzHttp.get(),
                        streamer.fuzzHttpRejected.get(), examples(problems)));
    }

    private void everyInstanceReady() {
        List<String> notReady = new ArrayList<>();
        for (var e : system.instances.entrySet()) {
            ServiceProcess p = e.getValue();
            if (!p.isAlive() || !p.isReady()) {
                notReady.add(e.getKey() + (p.isAlive() ? " (running, not ready)" : " (exited)"));
            }
        }
        if (!system.kafka.isAlive()) {
            notReady.add("broker");
        }
        if (system.postgres.pid() < 0) {
            notReady.add("PostgreSQL");
        }
        record("every instance ready again (health on the management port)", notReady.isEmpty(),
                notReady.isEmpty() ? system.instances.keySet() + " ready; health answered on "
                        + system.instances.values().iterator().next().healthBaseUrl() : "not ready: " + notReady);
    }

    private static long eventCount(JsonNode balance) {
        long n = 0;
        for (JsonNode period : balance.path("periods")) {
            n += period.path("eventCount").asLong();
        }
        return n;
    }

    private static boolean isCharge(JsonNode e) {
        String kind = e.path("kind").asText();
        return !kind.equals("PAYMENT") && !kind.equals("PERIOD_CLOSED");
    }

    private void record(String name, boolean pass, String evidence) {
        invariants.add(new Invariant(name, pass, evidence));
        System.out.printf("[chaos] %s  %s — %s%n", pass ? "PASS" : "FAIL", name, evidence);
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < 1000) {
            problems.add(problem);
        }
    }

    private static String examples(List<String> problems) {
        if (problems.isEmpty()) {
            return "";
        }
        return "; e.g. " + problems.stream().limit(5).collect(Collectors.joining(" | "))
                + (problems.size() > 5 ? " (+" + (problems.size() - 5) + " more)" : "");
    }
}
