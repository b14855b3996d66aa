package com.revshare.browser;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Known ledger entries (SPEC §4) for the demo partners over eight months, and the report figures
 * they must give (SPEC §6), computed here independently of reporting-service with BigDecimal.
 * <p>
 * The months run from {@code current - 7} to {@code current}; all but the current one are closed.
 * The month before the current one ({@link #picked()}) holds one of every entry kind: a reversal
 * with its re-rated usage (aws, which also gets enough entries on one line to need paging), a
 * tier true-up, a minimum true-up, a cap adjustment, a late usage, manual adjustments, and a
 * credit larger than the usage (snowflake: a negative total and amount due).
 */
final class LedgerFixture {
    record Partner(String id, String name, String currency, BigDecimal rate) {
    }

    /** The eight demo partners of the local run (all USD), plus one JPY partner for yen formatting. */
    static final List<Partner> DEMO_PARTNERS = List.of(
            new Partner("aws", "Amazon Web Services", "USD", new BigDecimal("0.15")),
            new Partner("azure", "Microsoft Azure", "USD", new BigDecimal("0.12")),
            new Partner("google-cloud", "Google Cloud", "USD", new BigDecimal("0.14")),
            new Partner("databricks", "Databricks", "USD", new BigDecimal("0.13")),
            new Partner("groq", "Groq", "USD", new BigDecimal("0.10")),
            new Partner("nvidia", "NVIDIA", "USD", new BigDecimal("0.18")),
            new Partner("dell", "Dell Technologies", "USD", new BigDecimal("0.10")),
            new Partner("snowflake", "Snowflake", "USD", new BigDecimal("0.16")));
    static final Partner YEN_PARTNER = new Partner("sakura-internet", "SAKURA internet", "JPY", new BigDecimal("0.15"));
    static final List<Partner> PARTNERS = concat(DEMO_PARTNERS, YEN_PARTNER);

    static final String PAGED_MODEL = "llama-3.1-70b-instruct";
    static final String PAGED_METRIC = "output_tokens";
    /** Entries of aws's paged line in the picked month: more than one page of the dashboard's 100. */
    static final int PAGED_LINE_ENTRIES = 260;

    private static final String[] MODELS = {
        "llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.3-70b-instruct"
    };
    private static final String[] METRICS = {"input_tokens", "output_tokens", "requests"};
    private static final Set<String> LINE_KINDS = Set.of("USAGE", "REVERSAL");
    private static final Set<String> ADJUSTMENT_KINDS = Set.of("LATE_USAGE", "TIER_TRUE_UP", "MINIMUM_TRUE_UP",
            "CAP_ADJUSTMENT", "MANUAL_ADJUSTMENT");

    /** One ledger entry as published on revshare.ledger.entries (null = field does not apply). */
    record Entry(UUID entryId, String partnerId, long sequence, String period, String kind, BigDecimal amount,
            String currency, String usageEventId, String model, String metric, Long quantity, BigDecimal revenue,
            BigDecimal settlementRevenue, Integer agreementVersion, String ruleId, UUID reversesEntryId,
            String originalPeriod, String memo, String actor, Instant closedAt, Instant eventTime, Instant postedAt,
            String paymentId, LocalDate receivedOn, String reference) {

        /** SPEC §4 v2: a charge debits the partner's receivable, a payment credits it, a close is no money. */
        String debitAccount() {
            return switch (kind) {
                case "PERIOD_CLOSED" -> null;
                case "PAYMENT" -> "cash/" + currency;
                default -> "partners/" + partnerId + "/receivable";
            };
        }

        String creditAccount() {
            return switch (kind) {
                case "PERIOD_CLOSED" -> null;
                case "PAYMENT" -> "partners/" + partnerId + "/receivable";
                default -> "revenue/" + partnerId + "/share";
            };
        }

        /** The entry's line of a period proof (SPEC §4.1): fields as in its JSON, null as empty. */
        String proofLine() {
            return String.join("|", String.valueOf(sequence), entryId.toString(), kind, amount.setScale(8).toPlainString(),
                    currency, text(usageEventId), text(model), text(metric), quantity == null ? "" : quantity.toString(),
                    settlementRevenue == null ? "" : settlementRevenue.setScale(8).toPlainString(),
                    agreementVersion == null ? "" : agreementVersion.toString(), text(ruleId),
                    reversesEntryId == null ? "" : reversesEntryId.toString(), text(originalPeriod)) + "\n";
        }

        private static String text(String value) {
            return value == null ? "" : value;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("entryId", entryId.toString());
            json.put("partnerId", partnerId);
            json.put("sequence", sequence);
            json.put("period", period);
            json.put("kind", kind);
            json.put("amount", amount.setScale(8).toPlainString());
            json.put("currency", currency);
            json.put("usageEventId", usageEventId);
            json.put("model", model);
            json.put("metric", metric);
            json.put("quantity", quantity);
            json.put("revenue", revenue == null ? null
                    : Map.of("amount", revenue.setScale(8).toPlainString(), "currency", currency));
            json.put("fxRate", null);
            json.put("settlementRevenue", settlementRevenue == null ? null : settlementRevenue.setScale(8).toPlainString());
            json.put("agreementVersion", agreementVersion);
            json.put("ruleId", ruleId);
            json.put("reversesEntryId", reversesEntryId == null ? null : reversesEntryId.toString());
            json.put("originalPeriod", originalPeriod);
            json.put("memo", memo);
            json.put("actor", actor);
            json.put("closedAt", closedAt == null ? null : closedAt.toString());
            json.put("eventTime", eventTime == null ? null : eventTime.toString());
            json.put("postedAt", postedAt.toString());
            json.put("debitAccount", debitAccount());
            json.put("creditAccount", creditAccount());
            json.put("paymentId", paymentId);
            json.put("receivedOn", receivedOn == null ? null : receivedOn.toString());
            json.put("reference", reference);
            return json;
        }
    }

    /** Expected overview row (SPEC §6). */
    record Row(String partnerId, String status, String currency, BigDecimal usageAmount, BigDecimal adjustmentsAmount,
            BigDecimal total, BigDecimal amountDue, long eventCount) {
    }

    /** Expected statement line: sums of USAGE and REVERSAL entries of one (model, metric). */
    record Line(String model, String metric, long quantity, BigDecimal revenue, BigDecimal amount) {
    }

    /** Months of entries, the current one included. */
    private static final int MONTHS = 8;

    private final YearMonth current;
    private final List<YearMonth> months;
    private final List<Entry> entries = new ArrayList<>();

    private LedgerFixture(YearMonth current) {
        this.current = current;
        List<YearMonth> list = new ArrayList<>();
        for (int back = MONTHS - 1; back >= 0; back--) {
            list.add(current.minusMonths(back));
        }
        this.months = List.copyOf(list);
    }

    static LedgerFixture build(Instant now) {
        LedgerFixture fixture = new LedgerFixture(YearMonth.from(now.atZone(ZoneOffset.UTC)));
        Random random = new Random(20261126L);
        for (Partner partner : PARTNERS) {
            fixture.addPartner(partner, now, random);
        }
        return fixture;
    }

    YearMonth current() {
        return current;
    }

    /** The closed month the browser test picks: the one before the current month. */
    YearMonth picked() {
        return current.minusMonths(1);
    }

    List<YearMonth> months() {
        return months;
    }

    List<Entry> entries() {
        return entries;
    }

    long lastSequence(String partnerId) {
        return entries.stream().filter(e -> e.partnerId().equals(partnerId)).mapToLong(Entry::sequence).max().orElse(0);
    }

    private void addPartner(Partner partner, Instant now, Random random) {
        Sequencer seq = new Sequencer(partner, now);
        for (YearMonth month : months) {
            boolean picked = month.equals(picked());
            int lastDay = month.equals(current) ? now.atZone(ZoneOffset.UTC).getDayOfMonth() : month.lengthOfMonth();
            List<Entry> usage = new ArrayList<>();
            int count = 5 + random.nextInt(5);
            for (int i = 0; i < count; i++) {
                usage.add(seq.usage(month, "e-" + month + "-" + i, MODELS[random.nextInt(MODELS.length)],
                        METRICS[random.nextInt(METRICS.length)], random, lastDay, 1, "rev", partner.rate()));
            }
            if (picked && partner.id().equals("aws")) {
                for (int i = 0; i < PAGED_LINE_ENTRIES; i++) {
                    // small amounts, so that this one line does not dwarf the other partners in the chart
                    seq.usage(month, "e-" + month + "-paged-" + i, PAGED_MODEL, PAGED_METRIC, random, lastDay, 1,
                            "rev", partner.rate().movePointLeft(2));
                }
                // re-rating: the first event's entry reversed, then rated again under version 2
                Entry original = usage.get(0);
                seq.reversal(original);
                seq.rerated(original, original.amount().multiply(new BigDecimal("1.1")).setScale(8, RoundingMode.HALF_EVEN), 2);
            }
            if (picked) {
                addAdjustments(partner, month, seq, usage);
            }
            if (!month.equals(current)) {
                Instant closedAt = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(600);
                seq.closed(month, closedAt.isAfter(now) ? now : closedAt);
            }
        }
        addPayments(partner, seq, now.atZone(ZoneOffset.UTC).toLocalDate());
    }

    /**
     * Payments (SPEC §3.8), booked in the earliest OPEN period (the current month): some partners pay
     * their oldest months, one pays nothing (every aging bucket holds money), one overpays
     * (unallocated credit), one pays part of a month.
     */
    private void addPayments(Partner partner, Sequencer seq, LocalDate today) {
        List<BigDecimal> dues = new ArrayList<>();
        for (YearMonth month : months.subList(0, months.size() - 1)) {
            dues.add(sum(of(partner.id(), month.toString()).stream().filter(e -> e.kind().equals("PERIOD_CLOSED") == false
                    && !e.kind().equals("PAYMENT")).toList()).setScale(minorUnit(partner.currency()), RoundingMode.HALF_EVEN));
        }
        BigDecimal all = dues.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        switch (partner.id()) {
            case "aws" -> seq.payment("wire-aws-1", sumOf(dues, 4), today.minusDays(20), "SWIFT 4471");
            case "google-cloud" -> {
                seq.payment("gc-2026-a", sumOf(dues, 3), today.minusDays(40), null);
                seq.payment("gc-2026-b", all.subtract(sumOf(dues, 3)).add(new BigDecimal("1000.00")), today.minusDays(5),
                        "overpaid: prepayment");
            }
            case "databricks" -> seq.payment("db-77", dues.get(0).divide(BigDecimal.valueOf(2), RoundingMode.DOWN)
                    .setScale(2, RoundingMode.DOWN), today.minusDays(50), "partial");
            case "groq" -> {
                seq.payment("groq-1", sumOf(dues, 5), today.minusDays(30), null);
                seq.payment("groq-2", all.subtract(sumOf(dues, 5)), today.minusDays(2), null);
            }
            case "nvidia" -> seq.payment("nv-q3", sumOf(dues, 6), today.minusDays(12), "Q3 settlement");
            case "snowflake" -> seq.payment("sf-1", sumOf(dues, 2), today.minusDays(60), null);
            case "sakura-internet" -> seq.payment("sakura-1", sumOf(dues, 3), today.minusDays(15), "furikomi");
            default -> {
                // azure and dell pay nothing: their outstanding ages through every bucket
            }
        }
    }

    private static BigDecimal sumOf(List<BigDecimal> dues, int oldest) {
        BigDecimal total = dues.subList(0, oldest).stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        return total.signum() > 0 ? total : BigDecimal.ONE;
    }

    private void addAdjustments(Partner partner, YearMonth month, Sequencer seq, List<Entry> usage) {
        switch (partner.id()) {
            case "google-cloud" -> seq.adjustment("MINIMUM_TRUE_UP", month, new BigDecimal("500.00000000")
                    .subtract(sum(usage)).max(new BigDecimal("123.45678901")), 1, null, null, "admin");
            case "databricks" -> seq.adjustment("TIER_TRUE_UP", month, new BigDecimal("-12.34567891"), 1, "8b-tiered",
                    null, "admin");
            case "dell" -> seq.adjustment("CAP_ADJUSTMENT", month, new BigDecimal("-75.50000001"), 1, null, null, "admin");
            case "nvidia" -> seq.adjustment("MANUAL_ADJUSTMENT", month, new BigDecimal("250.00000000"), null, null,
                    "goodwill: late reports, ticket FIN-1042", "finance");
            case "snowflake" -> seq.adjustment("MANUAL_ADJUSTMENT", month,
                    sum(usage).add(new BigDecimal("1234.56789012")).negate(), null, null,
                    "credit note CN-77 exceeds the month's usage", "finance");
            case "groq" -> {
                YearMonth original = month.minusMonths(1);
                BigDecimal revenue = new BigDecimal("845.12345678");
                seq.late(month, original, "e-late-1", "llama-3.1-8b-instruct", "input_tokens", 4_200_000L, revenue,
                        revenue.multiply(partner.rate()).setScale(8, RoundingMode.HALF_EVEN),
                        original.atDay(17).atTime(9, 30).toInstant(ZoneOffset.UTC));
            }
            case "sakura-internet" -> seq.adjustment("MANUAL_ADJUSTMENT", month, new BigDecimal("-0.50000000"), null,
                    null, "rounding difference", "finance");
            default -> {
                // aws (reversal above) and azure (plain usage)
            }
        }
    }

    /** Hands out the gapless per-partner sequence and posting times. */
    private final class Sequencer {
        private final Partner partner;
        private final Instant now;
        private long sequence;

        Sequencer(Partner partner, Instant now) {
            this.partner = partner;
            this.now = now;
        }

        Entry usage(YearMonth month, String eventId, String model, String metric, Random random, int lastDay,
                int version, String ruleId, BigDecimal rate) {
            long quantity = "requests".equals(metric) ? 1 + random.nextInt(900) : 10_000 + random.nextInt(5_000_000);
            BigDecimal revenue = BigDecimal.valueOf(50_000 + random.nextInt(900_000_000), 5)
                    .multiply("JPY".equals(partner.currency()) ? BigDecimal.valueOf(150) : BigDecimal.ONE)
                    .setScale(8, RoundingMode.HALF_EVEN);
            Instant time = month.atDay(1 + random.nextInt(lastDay)).atStartOfDay().toInstant(ZoneOffset.UTC)
                    .plusSeconds(random.nextInt(86_400));
            if (time.isAfter(now)) {
                time = now.minusSeconds(3600);
            }
            Entry e = blank("USAGE", month.toString(), revenue.multiply(rate).setScale(8, RoundingMode.HALF_EVEN));
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    partner.id() + "-" + eventId, model, metric, quantity, revenue, revenue, version, ruleId, null, null,
                    null, null, null, time, e.postedAt(), null, null, null));
        }

        /** Negates amount, quantity and revenues of the original and keeps its other facts (SPEC §4). */
        Entry reversal(Entry o) {
            Entry e = blank("REVERSAL", o.period(), o.amount().negate());
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    o.usageEventId(), o.model(), o.metric(), -o.quantity(), o.revenue().negate(),
                    o.settlementRevenue().negate(), o.agreementVersion(), o.ruleId(), o.entryId(), null, null, "admin",
                    null, o.eventTime(), e.postedAt(), null, null, null));
        }

        Entry rerated(Entry o, BigDecimal amount, int version) {
            Entry e = blank("USAGE", o.period(), amount);
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    o.usageEventId(), o.model(), o.metric(), o.quantity(), o.revenue(), o.settlementRevenue(), version,
                    o.ruleId(), null, null, null, "admin", null, o.eventTime(), e.postedAt(), null, null, null));
        }

        Entry adjustment(String kind, YearMonth month, BigDecimal amount, Integer version, String ruleId, String memo,
                String actor) {
            Entry e = blank(kind, month.toString(), amount);
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    null, null, null, null, null, null, version, ruleId, null, null, memo, actor, null, null, e.postedAt(), null, null, null));
        }

        Entry late(YearMonth month, YearMonth originalPeriod, String eventId, String model, String metric, long quantity,
                BigDecimal revenue, BigDecimal amount, Instant eventTime) {
            Entry e = blank("LATE_USAGE", month.toString(), amount);
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    partner.id() + "-" + eventId, model, metric, quantity, revenue, revenue, 1, "rev", null,
                    originalPeriod.toString(), null, null, null, eventTime, e.postedAt(), null, null, null));
        }

        Entry closed(YearMonth month, Instant closedAt) {
            Entry e = blank("PERIOD_CLOSED", month.toString(), BigDecimal.ZERO);
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    null, null, null, null, null, null, null, null, null, null, null, "admin", closedAt, null, e.postedAt(), null, null, null));
        }

        /** A PAYMENT (SPEC §4 v2): amount at the currency's minor unit, booked in the current (earliest OPEN) month. */
        Entry payment(String paymentId, BigDecimal amount, LocalDate receivedOn, String reference) {
            BigDecimal paid = amount.setScale(minorUnit(partner.currency()), RoundingMode.UNNECESSARY);
            Entry e = blank("PAYMENT", current.toString(), paid);
            return post(new Entry(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind(), e.amount(), e.currency(),
                    null, null, null, null, null, null, null, null, null, null, null, "finance", null, null, e.postedAt(),
                    paymentId, receivedOn, reference));
        }

        /** The next sequence number, with every optional field null. */
        private Entry blank(String kind, String period, BigDecimal amount) {
            sequence++;
            return new Entry(new UUID(partner.id().hashCode(), sequence), partner.id(), sequence, period, kind,
                    amount.setScale(8, RoundingMode.UNNECESSARY), partner.currency(), null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, now.minusSeconds(120).plusMillis(sequence * 7),
                    null, null, null);
        }

        private Entry post(Entry entry) {
            entries.add(entry);
            return entry;
        }
    }

    // ------------------------------------------------------------------ expectations (SPEC §6)

    private List<Entry> of(String partnerId, String period) {
        return entries.stream().filter(e -> e.partnerId().equals(partnerId) && e.period().equals(period)).toList();
    }

    static int minorUnit(String currency) {
        return java.util.Currency.getInstance(currency).getDefaultFractionDigits();
    }

    /** The overview rows of a period: partners with at least one entry booked in it. */
    Map<String, Row> overview(String period) {
        Map<String, Row> rows = new TreeMap<>();
        for (Partner partner : PARTNERS) {
            List<Entry> booked = of(partner.id(), period);
            if (booked.isEmpty()) {
                continue;
            }
            BigDecimal usage = sum(booked.stream().filter(e -> LINE_KINDS.contains(e.kind())).toList());
            BigDecimal adjustments = sum(booked.stream().filter(e -> ADJUSTMENT_KINDS.contains(e.kind())).toList());
            BigDecimal total = usage.add(adjustments);
            rows.put(partner.id(), new Row(partner.id(), status(booked), partner.currency(), usage, adjustments, total,
                    total.setScale(minorUnit(partner.currency()), RoundingMode.HALF_EVEN), eventCount(partner.id(), period)));
        }
        return rows;
    }

    private static String status(List<Entry> booked) {
        return booked.stream().anyMatch(e -> e.kind().equals("PERIOD_CLOSED")) ? "CLOSED" : "OPEN";
    }

    Instant closedAt(String partnerId, String period) {
        return of(partnerId, period).stream().filter(e -> e.kind().equals("PERIOD_CLOSED")).map(Entry::closedAt)
                .findFirst().orElse(null);
    }

    /** Usage events whose current (not reversed) USAGE or LATE_USAGE entry is booked in the period. */
    long eventCount(String partnerId, String period) {
        Set<UUID> reversed = new HashSet<>();
        entries.stream().filter(e -> e.reversesEntryId() != null).forEach(e -> reversed.add(e.reversesEntryId()));
        return of(partnerId, period).stream()
                .filter(e -> (e.kind().equals("USAGE") || e.kind().equals("LATE_USAGE")) && !reversed.contains(e.entryId()))
                .map(Entry::usageEventId).distinct().count();
    }

    /** Statement lines keyed "model|metric". */
    Map<String, Line> lines(String partnerId, String period) {
        Map<String, Line> lines = new TreeMap<>();
        for (Entry e : of(partnerId, period)) {
            if (!LINE_KINDS.contains(e.kind())) {
                continue;
            }
            lines.merge(e.model() + "|" + e.metric(),
                    new Line(e.model(), e.metric(), e.quantity(), e.settlementRevenue(), e.amount()),
                    (a, b) -> new Line(a.model(), a.metric(), a.quantity() + b.quantity(), a.revenue().add(b.revenue()),
                            a.amount().add(b.amount())));
        }
        return lines;
    }

    /** Statement adjustments: one sum per kind present. */
    Map<String, BigDecimal> adjustments(String partnerId, String period) {
        Map<String, BigDecimal> adjustments = new TreeMap<>();
        of(partnerId, period).stream().filter(e -> ADJUSTMENT_KINDS.contains(e.kind()))
                .forEach(e -> adjustments.merge(e.kind(), e.amount(), BigDecimal::add));
        return adjustments;
    }

    /** Sequence numbers of the entries behind one line, in order. */
    List<Long> lineSequences(String partnerId, String period, String model, String metric) {
        return of(partnerId, period).stream()
                .filter(e -> LINE_KINDS.contains(e.kind()) && model.equals(e.model()) && metric.equals(e.metric()))
                .sorted(Comparator.comparingLong(Entry::sequence)).map(Entry::sequence).toList();
    }

    /** summary?groupBy=partner,period: amount over all entries, by booking period. */
    Map<String, Map<String, BigDecimal>> summaryByPartnerAndPeriod(YearMonth from, YearMonth to) {
        Map<String, Map<String, BigDecimal>> summary = new TreeMap<>();
        for (Entry e : entries) {
            YearMonth month = YearMonth.parse(e.period());
            if (month.isBefore(from) || month.isAfter(to) || e.kind().equals("PERIOD_CLOSED") || e.kind().equals("PAYMENT")) {
                continue;
            }
            summary.computeIfAbsent(e.partnerId(), k -> new TreeMap<>()).merge(e.period(), e.amount(), BigDecimal::add);
        }
        return summary;
    }

    /** Expected receivables row (SPEC §3.8, §6). */
    record Receivable(String partnerId, String currency, BigDecimal billed, BigDecimal paid, BigDecimal outstanding,
            BigDecimal unallocated, Map<String, BigDecimal> aging) {
    }

    static final List<String> AGING_BUCKETS = List.of("current", "1-30", "31-60", "61-90", "90+");

    /**
     * Receivables as of a day, by SPEC §3.8, with the default payment terms (30 days): billed periods
     * are those closed on or before the day, payments received by then are allocated oldest first.
     */
    Map<String, Receivable> receivables(LocalDate asOf) {
        Map<String, Receivable> rows = new TreeMap<>();
        for (Partner partner : PARTNERS) {
            int scale = minorUnit(partner.currency());
            BigDecimal zero = BigDecimal.ZERO.setScale(scale);
            BigDecimal paid = entries.stream().filter(e -> e.partnerId().equals(partner.id()) && e.kind().equals("PAYMENT")
                    && !e.receivedOn().isAfter(asOf)).map(Entry::amount).reduce(zero, BigDecimal::add).setScale(scale);
            Map<YearMonth, BigDecimal> billed = new TreeMap<>();
            for (YearMonth month : months) {
                Instant closedAt = closedAt(partner.id(), month.toString());
                if (closedAt != null && !closedAt.atZone(ZoneOffset.UTC).toLocalDate().isAfter(asOf)) {
                    billed.put(month, overview(month.toString()).get(partner.id()).amountDue());
                }
            }
            if (billed.isEmpty() && paid.signum() == 0) {
                continue;
            }
            BigDecimal credit = paid.add(billed.values().stream().filter(d -> d.signum() < 0).map(BigDecimal::negate)
                    .reduce(zero, BigDecimal::add));
            Map<String, BigDecimal> aging = new LinkedHashMap<>();
            AGING_BUCKETS.forEach(b -> aging.put(b, zero));
            BigDecimal outstanding = zero;
            for (Map.Entry<YearMonth, BigDecimal> period : billed.entrySet()) {
                BigDecimal due = period.getValue();
                if (due.signum() <= 0) {
                    continue;
                }
                BigDecimal allocated = due.min(credit);
                credit = credit.subtract(allocated);
                BigDecimal open = due.subtract(allocated);
                outstanding = outstanding.add(open);
                long daysPastDue = java.time.temporal.ChronoUnit.DAYS.between(
                        period.getKey().plusMonths(1).atDay(1).plusDays(30), asOf);
                String bucket = daysPastDue <= 0 ? "current" : daysPastDue <= 30 ? "1-30" : daysPastDue <= 60 ? "31-60"
                        : daysPastDue <= 90 ? "61-90" : "90+";
                aging.merge(bucket, open, BigDecimal::add);
            }
            BigDecimal total = billed.values().stream().reduce(zero, BigDecimal::add);
            rows.put(partner.id(), new Receivable(partner.id(), partner.currency(), total, paid, outstanding, credit, aging));
        }
        return rows;
    }

    /** SPEC §4.1: {entryCount, firstSequence, lastSequence, sha256} of a partner's period, all kinds. */
    Map<String, Object> proof(String partnerId, String period) {
        List<Entry> list = of(partnerId, period).stream().sorted(Comparator.comparingLong(Entry::sequence)).toList();
        StringBuilder text = new StringBuilder();
        list.forEach(e -> text.append(e.proofLine()));
        Map<String, Object> proof = new LinkedHashMap<>();
        proof.put("entryCount", list.size());
        proof.put("firstSequence", list.isEmpty() ? null : list.get(0).sequence());
        proof.put("lastSequence", list.isEmpty() ? null : list.get(list.size() - 1).sequence());
        try {
            proof.put("sha256", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return proof;
    }

    /** Payments of a partner (for the audit fixture). */
    List<Entry> payments() {
        return entries.stream().filter(e -> e.kind().equals("PAYMENT")).toList();
    }

    private static BigDecimal sum(List<Entry> list) {
        return list.stream().map(Entry::amount).reduce(BigDecimal.ZERO.setScale(8), BigDecimal::add);
    }

    private static <T> List<T> concat(List<T> list, T last) {
        List<T> all = new ArrayList<>(list);
        all.add(last);
        return List.copyOf(all);
    }
}
