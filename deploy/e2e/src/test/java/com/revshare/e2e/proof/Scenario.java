package com.revshare.e2e.proof;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.revshare.e2e.proof.Terms.Event;
import com.revshare.e2e.proof.Terms.Rated;
import com.revshare.e2e.proof.Terms.Rule;
import com.revshare.e2e.proof.Terms.Tier;
import com.revshare.e2e.proof.Terms.Version;

/**
 * One random scenario of issue 13's proof property: a partner, its agreement versions, its events
 * (with the paths and re-deliveries they are sent by), FX rates, closes, late events, a re-rating
 * version, an adjustment and payments — and the test's own model of the entries SPEC §3–§4 make
 * of them, advanced step by step as the test drives the real system.
 */
public final class Scenario {
    public static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY", "BHD");
    private static final Map<String, Integer> MINOR_DIGITS = Map.of("USD", 2, "EUR", 2, "JPY", 0, "BHD", 3);
    private static final List<String> MODELS = List.of("llama-3.1-70b-instruct", "llama-3.1-8b-instruct",
            "mistral-large-2");
    private static final List<String> GLOBS = List.of("*", "llama-3.1-70b*", "llama-3.1-8b-instruct", "mistral*",
            "*-instruct", "llama-*-8b*");
    private static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");

    /** A payment; {@code stage} 0 before the first close, 1 after it, 2 after the second close. */
    public record Payment(String paymentId, BigDecimal amount, LocalDate receivedOn, String reference, int stage) {
    }

    /** An event as sent: its path ({@code kafka} or {@code http}) and how many times again (same content). */
    public record Sending(Event event, String path, int redeliveries, String redeliveryPath) {
    }

    /** One expected entry; {@code amount} null where the processing order decides it (tiered usage of an open month). */
    record Expected(String kind, String period, String eventId, Integer version, String ruleId, BigDecimal amount,
            String originalPeriod, String paymentId, BigDecimal basis, Instant time, Long quantity,
            BigDecimal settlementRevenue) {
        Expected(String kind, String period, BigDecimal amount, String paymentId) {
            this(kind, period, null, null, null, amount, null, paymentId, null, null, null, null);
        }

        String signature(boolean settlementEither) {
            return signature(kind, eventId, version, ruleId, amount == null ? "?" : amount.setScale(8,
                    RoundingMode.UNNECESSARY).toPlainString(), originalPeriod, paymentId, quantity,
                    settlementEither ? "~" : settlementRevenue == null ? null
                            : settlementRevenue.stripTrailingZeros().toPlainString());
        }

        static String signature(String kind, String eventId, Integer version, String ruleId, String amount,
                String originalPeriod, String paymentId, Long quantity, String settlementRevenue) {
            return kind + "|" + eventId + "|" + version + "|" + ruleId + "|" + amount + "|" + originalPeriod + "|"
                    + paymentId + "|" + quantity + "|" + settlementRevenue;
        }
    }

    public final String partner;
    public final String currency;
    public final int minorDigits;
    public final int paymentTermsDays;
    public final List<YearMonth> months;
    public final boolean closeSecond;
    public final List<Version> initialVersions = new ArrayList<>();
    public final Version rerating;
    public final List<Sending> phaseA = new ArrayList<>();
    public final List<Sending> lateEvents = new ArrayList<>();
    /** Events of phase A sent again after they were accepted: same content (duplicates) or not (conflicts). */
    public final List<Event> redeliveredLater = new ArrayList<>();
    public final List<Event> conflicts = new ArrayList<>();
    public final Set<LocalDate> fxDatesBefore = new TreeSet<>();
    public final Set<LocalDate> fxDatesAfter = new TreeSet<>();
    public final Set<LocalDate> fxDatesLate = new TreeSet<>();
    public final String foreignCurrency;
    public final List<Payment> payments = new ArrayList<>();
    public final YearMonth adjustmentPeriod;
    public final BigDecimal adjustmentAmount;

    // the model of the ledger's entries
    private final List<Version> versions = new ArrayList<>();
    private final List<Expected> entries = new ArrayList<>();
    private final Map<String, Expected> current = new LinkedHashMap<>();
    private final Set<YearMonth> closed = new LinkedHashSet<>();
    private final Map<YearMonth, Map<String, BigDecimal>> tierTargets = new LinkedHashMap<>();
    private final Map<YearMonth, Map<String, BigDecimal>> closedBasis = new LinkedHashMap<>();
    private final Map<YearMonth, BigDecimal> closedTotal = new LinkedHashMap<>();
    private final Set<String> tieredRules = new LinkedHashSet<>();
    /**
     * "event|version|rule" of entries whose settlementRevenue is either null or the converted revenue: a rule
     * that needs no revenue rated an event in a foreign currency, maybe before its FX rate was set (the SPEC
     * fixes no value for that field then; the ledger leaves it null when the rate was missing).
     */
    private final Set<String> settlementEither = new LinkedHashSet<>();

    public Scenario(String partner, Random random, YearMonth latestFirstMonth) {
        this.partner = partner;
        this.currency = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        this.minorDigits = MINOR_DIGITS.get(currency);
        this.paymentTermsDays = random.nextInt(4) == 0 ? random.nextInt(366) : 30;
        YearMonth first = latestFirstMonth.minusMonths(random.nextInt(36));
        int count = 2 + random.nextInt(2);
        List<YearMonth> ms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ms.add(first.plusMonths(i));
        }
        this.months = List.copyOf(ms);
        this.closeSecond = count == 3 && random.nextBoolean();
        List<String> others = new ArrayList<>(CURRENCIES);
        others.remove(currency);
        this.foreignCurrency = others.get(random.nextInt(others.size()));

        // agreement versions: v1 open-ended from the first month, maybe a v2 over part of the months
        initialVersions.add(version(1, start(months.get(0)), null, random));
        if (random.nextBoolean()) {
            Instant from = randomHour(random, start(months.get(0)), start(months.get(count - 1).plusMonths(1)));
            Instant to = random.nextBoolean() ? null : from.plusSeconds(3600L * (1 + random.nextInt(40 * 24)));
            initialVersions.add(version(2, from, to, random));
        }
        // the re-rating version: effective inside the second month, which is OPEN when it is added
        this.rerating = version(initialVersions.size() + 1,
                randomHour(random, start(months.get(1)), start(months.get(1).plusMonths(1))), null, random);

        // events over the months, by Kafka and HTTP, some sent twice already in phase A
        int events = 12 + random.nextInt(24);
        for (int i = 0; i < events; i++) {
            YearMonth m = months.get(random.nextInt(count));
            Event e = event(partner + "-e" + i, randomSecond(random, start(m), start(m.plusMonths(1))), random);
            String path = random.nextBoolean() ? "kafka" : "http";
            int again = random.nextInt(6) == 0 ? 1 + random.nextInt(2) : 0;
            phaseA.add(new Sending(e, path, again, random.nextBoolean() ? "kafka" : "http"));
            if (e.revenueAmount() != null && !e.revenueCurrency().equals(currency)) {
                (random.nextBoolean() ? fxDatesBefore : fxDatesAfter).add(date(e.time()));
            }
        }
        fxDatesAfter.removeAll(fxDatesBefore);
        for (Sending s : phaseA) {
            if (random.nextInt(8) == 0) {
                redeliveredLater.add(s.event());
            } else if (random.nextInt(12) == 0) {
                Event e = s.event();
                conflicts.add(new Event(e.id(), e.time(), e.model(), e.metric(), e.quantity() + 1, e.revenueAmount(),
                        e.revenueCurrency(), e.revenueText()));
            }
        }
        // late events: time in the first month, sent once it is CLOSED
        int late = 1 + random.nextInt(5);
        for (int i = 0; i < late; i++) {
            Event e = event(partner + "-late" + i, randomSecond(random, start(months.get(0)), start(months.get(1))), random);
            lateEvents.add(new Sending(e, random.nextBoolean() ? "kafka" : "http", random.nextInt(4) == 0 ? 1 : 0,
                    random.nextBoolean() ? "kafka" : "http"));
            if (e.revenueAmount() != null && !e.revenueCurrency().equals(currency)) {
                fxDatesLate.add(date(e.time()));
            }
        }
        fxDatesLate.removeAll(fxDatesBefore);
        fxDatesLate.removeAll(fxDatesAfter);

        // payments at three moments, random amounts at the currency's minor unit, some large (overpaying)
        int stages = closeSecond ? 3 : 2;
        int paymentCount = 1 + random.nextInt(4);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int i = 0; i < paymentCount; i++) {
            long unscaled = random.nextInt(3) == 0 ? random.nextLong(1, 10_000_000_000L) : random.nextLong(1, 5_000_000L);
            BigDecimal amount = BigDecimal.valueOf(unscaled, minorDigits);
            LocalDate on = start(months.get(0)).atZone(ZoneOffset.UTC).toLocalDate()
                    .plusDays(random.nextInt((int) (today.toEpochDay() - months.get(0).atDay(1).toEpochDay()) + 1));
            payments.add(new Payment("pay-" + i, amount, on, random.nextBoolean() ? null : "wire " + i,
                    random.nextInt(stages)));
        }
        this.adjustmentPeriod = count == 3 && random.nextBoolean() ? months.get(2) : months.get(1);
        this.adjustmentAmount = BigDecimal.valueOf(random.nextLong(-50_000_000_000L, 50_000_000_000L),
                random.nextInt(9));

        versions.addAll(initialVersions);
        for (Version v : List.of(initialVersions.toArray(new Version[0]))) {
            v.rules().stream().filter(Rule::tiered).forEach(r -> tieredRules.add(v.number() + "|" + r.id()));
        }
        rerating.rules().stream().filter(Rule::tiered).forEach(r -> tieredRules.add(rerating.number() + "|" + r.id()));
    }

    // ---------------------------------------------------------------- generation

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static LocalDate date(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static Instant randomHour(Random random, Instant from, Instant to) {
        long hours = (to.getEpochSecond() - from.getEpochSecond()) / 3600;
        return from.plusSeconds(3600L * random.nextLong(hours));
    }

    private static Instant randomSecond(Random random, Instant from, Instant to) {
        return from.plusSeconds(random.nextLong(to.getEpochSecond() - from.getEpochSecond()));
    }

    private static BigDecimal decimal(Random random, int maxScale, int integerDigits) {
        int scale = random.nextInt(maxScale + 1);
        return BigDecimal.valueOf(random.nextLong((long) Math.pow(10, Math.min(17, scale + integerDigits))), scale);
    }

    private Event event(String id, Instant time, Random random) {
        String model = MODELS.get(random.nextInt(MODELS.size()));
        String metric = METRICS.get(random.nextInt(METRICS.size()));
        long quantity = random.nextInt(10) == 0 ? 0 : random.nextLong(1, 3_000_000);
        if (random.nextInt(4) == 0) {
            return new Event(id, time, model, metric, quantity, null, null, null);
        }
        BigDecimal amount = decimal(random, 8, 3);
        String revenueCurrency = random.nextInt(5) < 3 ? currency : foreignCurrency;
        return new Event(id, time, model, metric, quantity, amount, revenueCurrency, amount.toPlainString());
    }

    private static Version version(int number, Instant from, Instant to, Random random) {
        List<Rule> rules = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            rules.add(rule("r" + i, random));
        }
        // a catch-all that needs no revenue: every event is rated, so every close goes through
        rules.add(new Rule("all", "*", "*", "PER_UNIT", null, decimal(random, 6, 2), pow10(random.nextInt(7)), null,
                null, null));
        BigDecimal minimum = random.nextInt(3) == 0 ? decimal(random, 8, random.nextBoolean() ? 2 : 6) : null;
        BigDecimal cap = random.nextInt(3) == 0 ? decimal(random, 8, random.nextBoolean() ? 3 : 7) : null;
        if (minimum != null && cap != null && minimum.compareTo(cap) > 0) {
            BigDecimal swap = minimum;
            minimum = cap;
            cap = swap;
        }
        return new Version(number, from, to, minimum, cap, List.copyOf(rules));
    }

    private static long pow10(int k) {
        return (long) Math.pow(10, k);
    }

    private static Rule rule(String id, Random random) {
        String model = GLOBS.get(random.nextInt(GLOBS.size()));
        String metric = random.nextBoolean() ? "*" : METRICS.get(random.nextInt(METRICS.size()));
        return switch (random.nextInt(3)) {
            case 0 -> new Rule(id, model, metric, "PERCENT_OF_REVENUE", decimal(random, 12, 0).max(new BigDecimal("0.01")),
                    null, null, null, null, null);
            case 1 -> new Rule(id, model, metric, "PER_UNIT", null, decimal(random, 6, 2), pow10(random.nextInt(7)),
                    null, null, null);
            default -> {
                boolean quantity = random.nextBoolean();
                List<Tier> tiers = new ArrayList<>();
                int n = 1 + random.nextInt(3);
                long upTo = 0;
                for (int i = 0; i < n; i++) {
                    Long bound = null;
                    if (i < n - 1) {
                        upTo += quantity ? random.nextLong(1, 6_000_000) : random.nextLong(1, 3_000);
                        bound = upTo;
                    }
                    tiers.add(quantity ? new Tier(bound, decimal(random, 6, 2), pow10(random.nextInt(7)), null)
                            : new Tier(bound, null, null, decimal(random, 12, 0)));
                }
                yield new Rule(id, model, metric, "TIERED", null, null, null, quantity ? "QUANTITY" : "REVENUE",
                        random.nextBoolean() ? "GRADUATED" : "VOLUME", List.copyOf(tiers));
            }
        };
    }

    /** The FX rate every scenario sets for (date, base, quote): a function of them alone, so scenarios never conflict. */
    public static BigDecimal fxRate(LocalDate date, String base, String quote) {
        int h = (date + "|" + base + "|" + quote).hashCode() & 0x7fffffff;
        return BigDecimal.valueOf(100_000 + h % 4_900_000, 6);
    }

    private BigDecimal fx(Instant t, String base, String quote) {
        return fxRate(date(t), base, quote);
    }

    // ---------------------------------------------------------------- the model, step by step

    private YearMonth earliestOpen() {
        for (YearMonth m : months) {
            if (!closed.contains(m)) {
                return m;
            }
        }
        throw new IllegalStateException("every month closed");
    }

    private static String key(int version, String ruleId) {
        return version + "|" + ruleId;
    }

    private Expected usage(String kind, YearMonth period, Event e, Rated r, BigDecimal amount, String originalPeriod) {
        return new Expected(kind, period.toString(), e.id(), r.version(), r.rule().id(), amount, originalPeriod, null,
                r.basis(), e.time(), e.quantity(), r.settlementRevenue());
    }

    /** Phase A's unique events, each booked as USAGE in its month under the version governing its time. */
    public void bookPhaseA() {
        for (Sending s : phaseA) {
            Event e = s.event();
            if (current.containsKey(e.id())) {
                continue;
            }
            Rated r = Terms.rate(Terms.governing(versions, e.time()), e, currency, this::fx);
            Expected x = usage("USAGE", YearMonth.from(e.time().atZone(ZoneOffset.UTC)), e, r,
                    r.rule().tiered() ? null : r.amount(), null);
            if (e.revenueAmount() != null && !e.revenueCurrency().equals(currency) && !r.rule().revenueBased()
                    && fxDatesAfter.contains(date(e.time()))) {
                settlementEither.add(e.id() + "|" + key(r.version(), r.rule().id()));
            }
            entries.add(x);
            current.put(e.id(), x);
        }
    }

    /** Payments of a stage: PAYMENT entries in the earliest OPEN period when recorded (§4). */
    public List<Payment> recordPayments(int stage) {
        List<Payment> list = payments.stream().filter(p -> p.stage() == stage).toList();
        for (Payment p : list) {
            entries.add(new Expected("PAYMENT", earliestOpen().toString(), p.amount(), p.paymentId()));
        }
        return list;
    }

    /** §3.5's close of the earliest OPEN month: tier true-ups, minimum or cap, PERIOD_CLOSED. */
    public YearMonth close() {
        YearMonth p = earliestOpen();
        String period = p.toString();
        Map<String, BigDecimal> basis = new LinkedHashMap<>();
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (Expected x : entries) {
            if (x.period().equals(period) && "USAGE".equals(x.kind()) && tieredRules.contains(key(x.version(), x.ruleId()))) {
                basis.putIfAbsent(key(x.version(), x.ruleId()), BigDecimal.ZERO);
                rules.put(key(x.version(), x.ruleId()), rule(x.version(), x.ruleId()));
            }
        }
        for (Expected x : current.values()) {
            if (x.period().equals(period) && "USAGE".equals(x.kind()) && basis.containsKey(key(x.version(), x.ruleId()))) {
                basis.merge(key(x.version(), x.ruleId()), x.basis(), BigDecimal::add);
            }
        }
        Map<String, BigDecimal> targets = new LinkedHashMap<>();
        basis.forEach((k, b) -> targets.put(k, Terms.round8(rules.get(k).monthPrice(b))));
        tierTargets.put(p, targets);
        closedBasis.put(p, basis);

        BigDecimal total = knownCharges(period).add(targets.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        Instant end = start(p.plusMonths(1));
        Version governing = null;
        for (Version v : versions) {
            if (v.from().isBefore(end) && (v.to() == null || !v.to().isBefore(end))
                    && (governing == null || v.number() > governing.number())) {
                governing = v;
            }
        }
        if (governing.minimum() != null && total.compareTo(governing.minimum()) < 0) {
            entries.add(new Expected("MINIMUM_TRUE_UP", period, governing.minimum().subtract(total), null));
            total = governing.minimum();
        } else if (governing.cap() != null && total.compareTo(governing.cap()) > 0) {
            entries.add(new Expected("CAP_ADJUSTMENT", period, governing.cap().subtract(total), null));
            total = governing.cap();
        }
        entries.add(new Expected("PERIOD_CLOSED", period, BigDecimal.ZERO, null));
        closedTotal.put(p, total);
        closed.add(p);
        return p;
    }

    private BigDecimal knownCharges(String period) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Expected x : entries) {
            if (x.period().equals(period) && x.amount() != null && !"PAYMENT".equals(x.kind())) {
                sum = sum.add(x.amount());
            }
        }
        return sum;
    }

    private Rule rule(int version, String ruleId) {
        for (Version v : versions) {
            if (v.number() == version) {
                return v.rules().stream().filter(r -> r.id().equals(ruleId)).findFirst().orElseThrow();
            }
        }
        throw new IllegalStateException("no version " + version);
    }

    /** Late events (time in a CLOSED month): LATE_USAGE in the earliest OPEN period, tiered at the closed month's marginal price. */
    public void bookLate() {
        for (Sending s : lateEvents) {
            Event e = s.event();
            YearMonth original = YearMonth.from(e.time().atZone(ZoneOffset.UTC));
            Rated r = Terms.rate(Terms.governing(versions, e.time()), e, currency, this::fx);
            BigDecimal amount = r.rule().tiered()
                    ? Terms.round8(r.basis().multiply(r.rule().marginal(closedBasis.get(original)
                            .getOrDefault(key(r.version(), r.rule().id()), BigDecimal.ZERO))))
                    : r.amount();
            Expected x = usage("LATE_USAGE", earliestOpen(), e, r, amount, original.toString());
            entries.add(x);
            current.put(e.id(), x);
        }
    }

    /** The re-rating version: events of OPEN months it now governs get a REVERSAL and a new USAGE (§3.6). */
    public void addReratingVersion() {
        versions.add(rerating);
        for (Expected x : List.copyOf(current.values())) {
            if (!"USAGE".equals(x.kind()) || closed.contains(YearMonth.parse(x.period()))) {
                continue;
            }
            Version g = Terms.governing(versions, x.time());
            if (g.number() == x.version()) {
                continue;
            }
            entries.add(new Expected("REVERSAL", x.period(), x.eventId(), x.version(), x.ruleId(),
                    x.amount() == null ? null : x.amount().negate(), null, null, null, x.time(), -x.quantity(),
                    x.settlementRevenue() == null ? null : x.settlementRevenue().negate()));
            Event e = eventById(x.eventId());
            Rated r = Terms.rate(g, e, currency, this::fx);
            Expected y = usage("USAGE", YearMonth.parse(x.period()), e, r, r.rule().tiered() ? null : r.amount(), null);
            entries.add(y);
            current.put(e.id(), y);
        }
    }

    /** The manual adjustment: a MANUAL_ADJUSTMENT in its (OPEN) period. */
    public void postAdjustment() {
        entries.add(new Expected("MANUAL_ADJUSTMENT", adjustmentPeriod.toString(), adjustmentAmount, null));
    }

    /** The event the test sent with this id (phase A or late). */
    public Event eventById(String id) {
        for (List<Sending> list : List.of(phaseA, lateEvents)) {
            for (Sending s : list) {
                if (s.event().id().equals(id)) {
                    return s.event();
                }
            }
        }
        throw new IllegalStateException("no event " + id + " was sent");
    }

    public int tieredRuleCount() {
        return tieredRules.size();
    }

    public int uniqueEvents() {
        return current.size();
    }

    /** Records sent again with the same content: each is a duplicate (§2.3). */
    public int duplicates() {
        int n = redeliveredLater.size();
        for (Sending s : phaseA) {
            n += s.redeliveries();
        }
        for (Sending s : lateEvents) {
            n += s.redeliveries();
        }
        return n;
    }

    // ---------------------------------------------------------------- expectations per period

    public boolean isClosed(YearMonth p) {
        return closed.contains(p);
    }

    /** Whether the (version, rule) is tiered: its USAGE and REVERSAL amounts depend on the processing order. */
    public boolean tiered(Integer version, String ruleId) {
        return version != null && ruleId != null && tieredRules.contains(key(version, ruleId));
    }

    /** The expected entry signatures of a period except TIER_TRUE_UP (see {@link #tierTargets(YearMonth)}). */
    public List<String> signatures(YearMonth p) {
        List<String> list = new ArrayList<>();
        for (Expected x : entries) {
            if (x.period().equals(p.toString())) {
                list.add(x.signature(settlementEither(x.eventId(), x.version(), x.ruleId())));
            }
        }
        list.sort(null);
        return list;
    }

    /** For a CLOSED period: per "version|ruleId" the exact sum its USAGE, REVERSAL and TIER_TRUE_UP entries reach. */
    public Map<String, BigDecimal> tierTargets(YearMonth p) {
        return tierTargets.getOrDefault(p, Map.of());
    }

    /** The period's exact total when the events alone decide it (CLOSED, or OPEN without tiered usage), else null. */
    public BigDecimal expectedTotal(YearMonth p) {
        if (closed.contains(p)) {
            return closedTotal.get(p);
        }
        for (Expected x : entries) {
            if (x.period().equals(p.toString()) && x.amount() == null) {
                return null;
            }
        }
        return knownCharges(p.toString());
    }

    /** Whether the entry's settlementRevenue may be null or the converted revenue (see {@link #settlementEither}). */
    public boolean settlementEither(String eventId, Integer version, String ruleId) {
        return eventId != null && settlementEither.contains(eventId + "|" + key(version, ruleId));
    }

    /** An entry's signature for comparison: "?" for an amount the processing order decides, "~" for either settlementRevenue. */
    public String signature(String kind, String eventId, Integer version, String ruleId, String amount,
            String originalPeriod, String paymentId, Long quantity, BigDecimal settlementRevenue) {
        return Expected.signature(kind, eventId, version, ruleId, amount, originalPeriod, paymentId, quantity,
                settlementEither(eventId, version, ruleId) ? "~" : settlementRevenue == null ? null
                        : settlementRevenue.stripTrailingZeros().toPlainString());
    }

    @Override
    public String toString() {
        return "partner " + partner + " " + currency + " months " + months + " closeSecond " + closeSecond
                + " versions " + initialVersions + " rerating " + rerating + " foreign " + foreignCurrency
                + " payments " + payments + " adjustment " + adjustmentAmount + " in " + adjustmentPeriod;
    }
}
