package com.revshare.benchmark;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic, skewed stream of SPEC §2 usage events for the benchmark's partners: one
 * partner ~40% of the records, models, metrics, quantities and revenues of realistic sizes,
 * revenue spelled as a string, a trimmed string or a JSON number, some times with an offset,
 * some EUR revenue, some ignored extra fields, a fraction of byte-identical re-deliveries
 * (duplicates) and a fraction of late events dated in the closed previous month. Every unique
 * event's charge is added to {@link Expected} as it is generated.
 */
final class FeedGenerator {
    /** One record for revshare.usage.raw, keyed by partner id. */
    record Event(int partner, String key, byte[] value, boolean duplicate, boolean late) {
    }

    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1"};
    private static final int REDELIVERY_WINDOW = 8192;

    private final List<String> partnerIds;
    private final String runId;
    private final SplittableRandom random;
    private final Clock clock;
    private final YearMonth closedMonth;
    private final double duplicateFraction;
    private final double lateFraction;
    private final double eurFraction;
    private final Expected expected;
    private final int[] cumulativeWeight;
    private final int[] cumulativeModelWeight;
    private final Event[] recent = new Event[REDELIVERY_WINDOW];
    private long recentCount;
    private long counter;

    /**
     * @param partnerIds  the partners' ids in {@link Workload#PARTNERS} order
     * @param closedMonth the closed month late events are dated in, or null for no late events
     */
    FeedGenerator(List<String> partnerIds, String runId, long seed, Clock clock, YearMonth closedMonth,
            double duplicateFraction, double lateFraction, double eurFraction, Expected expected) {
        if (partnerIds.size() != Workload.PARTNERS.size()) {
            throw new IllegalArgumentException("one id per workload partner");
        }
        this.partnerIds = List.copyOf(partnerIds);
        this.runId = runId;
        this.random = new SplittableRandom(seed);
        this.clock = clock;
        this.closedMonth = closedMonth;
        this.duplicateFraction = duplicateFraction;
        this.lateFraction = closedMonth == null ? 0 : lateFraction;
        this.eurFraction = eurFraction;
        this.expected = expected;
        this.cumulativeWeight = new int[Workload.PARTNERS.size()];
        int acc = 0;
        for (int i = 0; i < cumulativeWeight.length; i++) {
            acc += Workload.PARTNERS.get(i).weightPerMille();
            cumulativeWeight[i] = acc;
        }
        this.cumulativeModelWeight = new int[Workload.MODELS.size()];
        acc = 0;
        for (int i = 0; i < cumulativeModelWeight.length; i++) {
            acc += Workload.MODELS.get(i).weight();
            cumulativeModelWeight[i] = acc;
        }
    }

    /**
     * From now on every unique event is of the partner at {@code index} (in {@link Workload#PARTNERS}
     * order; --single-partner): the rest of the stream (models, metrics, duplicates, late events)
     * is generated as before.
     */
    FeedGenerator onlyPartner(int index) {
        for (int i = 0; i < cumulativeWeight.length; i++) {
            cumulativeWeight[i] = i < index ? 0 : 1;
        }
        return this;
    }

    /** The next record; {@code phase} is one letter that keeps the ids of a run's phases apart. */
    Event next(char phase) {
        if (recentCount > 0 && random.nextDouble() < duplicateFraction) {
            Event original = recent[(int) (random.nextLong(Math.min(recentCount, REDELIVERY_WINDOW)))];
            expected.duplicate();
            return new Event(original.partner(), original.key(), original.value(), true, original.late());
        }
        Event event = unique(phase);
        recent[(int) (recentCount++ % REDELIVERY_WINDOW)] = event;
        return event;
    }

    private Event unique(char phase) {
        int p = pick(cumulativeWeight, random.nextInt(cumulativeWeight[cumulativeWeight.length - 1]));
        Workload.Partner partner = Workload.PARTNERS.get(p);
        String partnerId = partnerIds.get(p);
        Workload.Model model = Workload.MODELS.get(
                pick(cumulativeModelWeight, random.nextInt(cumulativeModelWeight[cumulativeModelWeight.length - 1])));
        double m = random.nextDouble();
        String metric = m < 0.45 ? "input_tokens" : m < 0.90 ? "output_tokens" : "requests";
        long quantity = "requests".equals(metric) ? 1 + random.nextInt(200)
                : Math.max(1, Math.min(5_000_000, (long) Math.exp(Math.log(20_000) + 1.2 * gaussian())));

        boolean late = random.nextDouble() < lateFraction;
        Instant time;
        if (late) {
            Instant from = closedMonth.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant to = closedMonth.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            time = from.plusMillis(random.nextLong(to.toEpochMilli() - from.toEpochMilli()));
        } else {
            Instant now = clock.instant();
            Instant monthStart = YearMonth.from(now.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            time = now.minusMillis(random.nextLong(60_000));
            if (time.isBefore(monthStart)) {
                time = monthStart;
            }
        }
        LocalDate date = LocalDate.ofInstant(time, ZoneOffset.UTC);

        BigDecimal revenue = null;
        String currency = "USD";
        if (random.nextDouble() < partner.revenueFraction()) {
            BigDecimal unitRevenue = "requests".equals(metric) ? Workload.PRICE_PER_REQUEST
                    : model.pricePerMillion().movePointLeft(6);
            if ("input_tokens".equals(metric)) {
                unitRevenue = unitRevenue.divide(BigDecimal.valueOf(2));
            }
            revenue = unitRevenue.multiply(partner.markup()).multiply(BigDecimal.valueOf(quantity));
            if (random.nextDouble() < eurFraction) {
                currency = "EUR";
                revenue = revenue.multiply(new BigDecimal("0.92"));
            }
            revenue = revenue.setScale(Workload.SCALE, RoundingMode.HALF_EVEN);
        }
        BigDecimal share = Workload.share(partner, model.name(), metric, quantity, revenue, currency, date);
        if (share == null) {
            throw new IllegalStateException("the workload produced an event no rule rates: " + partnerId + " "
                    + model.name() + " " + metric + " revenue " + revenue);
        }
        YearMonth period = YearMonth.from(date);
        if (late) {
            expected.late(partnerId, closedMonth.plusMonths(1), share);
        } else {
            expected.usage(partnerId, period, share, metric, quantity);
        }

        String id = partnerId + "-" + runId + "-" + phase + (counter++);
        StringBuilder json = new StringBuilder(420);
        json.append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                .append("\",\"source\":\"partners/").append(partnerId)
                .append("\",\"type\":\"revshare.usage.v1\",\"time\":\"").append(formatTime(time))
                .append("\",\"partnerid\":\"").append(partnerId)
                .append("\",\"datacontenttype\":\"application/json\"");
        if (random.nextDouble() < 0.05) {
            json.append(",\"traceparent\":\"00-").append(Long.toHexString(random.nextLong()))
                    .append(Long.toHexString(random.nextLong())).append("-01\"");
        }
        json.append(",\"data\":{\"model\":\"").append(model.name()).append("\",\"metric\":\"").append(metric)
                .append("\",\"quantity\":");
        if (random.nextDouble() < 0.05) {
            json.append('"').append(quantity).append('"');
        } else {
            json.append(quantity);
        }
        if (revenue != null) {
            json.append(",\"revenue\":{\"amount\":").append(spell(revenue)).append(",\"currency\":\"")
                    .append(currency).append("\"}");
        }
        if (random.nextDouble() < 0.9) {
            json.append(",\"region\":\"").append(REGIONS[random.nextInt(REGIONS.length)]).append('"');
        }
        json.append("}}");
        return new Event(p, partnerId, json.toString().getBytes(StandardCharsets.US_ASCII), false, late);
    }

    /** SPEC §2.1 allows the amount as a string or a JSON number; both must be read exactly. */
    private String spell(BigDecimal amount) {
        double d = random.nextDouble();
        if (d < 0.7) {
            return '"' + amount.toPlainString() + '"';
        }
        String trimmed = amount.signum() == 0 ? "0" : amount.stripTrailingZeros().toPlainString();
        return d < 0.9 ? '"' + trimmed + '"' : trimmed;
    }

    private String formatTime(Instant time) {
        if (random.nextDouble() < 0.9) {
            return time.toString();
        }
        ZoneOffset offset = ZoneOffset.ofHours(random.nextInt(-8, 10));
        return WITH_OFFSET.format(OffsetDateTime.ofInstant(time, offset));
    }

    private double gaussian() {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static int pick(int[] cumulative, int value) {
        for (int i = 0; i < cumulative.length; i++) {
            if (value < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }
}
