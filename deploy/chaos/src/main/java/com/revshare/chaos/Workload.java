package com.revshare.chaos;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The usage events of a run, each a pure function of (seed, index): the suite regenerates any
 * event instead of keeping a million of them, and computes what each must be booked at on its
 * own, with BigDecimal, from the agreement it registered (never from the system's answers).
 *
 * <p>Every partner has one agreement: 15 % of revenue, else 0.30 per million units (events
 * without revenue). The late partner's agreement starts two months back and that first month is
 * closed before the stream, so its events of that month are booked as {@code LATE_USAGE}.
 */
final class Workload {
    static final BigDecimal RATE = new BigDecimal("0.15");
    static final BigDecimal UNIT_PRICE = new BigDecimal("0.30");
    static final BigDecimal UNIT_SIZE = new BigDecimal("1000000");
    static final String[] MODELS = {"llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.1-405b-instruct",
            "llama-3.2-3b:q4", "org/model.v2"};
    static final String[] METRICS = {"input_tokens", "output_tokens", "requests"};
    /** 40 mathematical bold letters: 40 code points, 80 UTF-16 units (the case of issue 10). */
    static final String ASTRAL_REGION = "\uD835\uDC00".repeat(40);

    final long seed;
    final int events;
    final List<String> partners = new ArrayList<>();
    final String latePartner;
    final Instant start;
    /** The month closed for the late partner before the stream, and its agreement's first month. */
    final YearMonth closedMonth;
    final YearMonth currentMonth;

    Workload(long seed, int events, int partnerCount, Instant start) {
        this.seed = seed;
        this.events = events;
        for (int p = 1; p < partnerCount; p++) {
            partners.add("chaos-p" + p);
        }
        latePartner = "chaos-late";
        partners.add(latePartner);
        this.start = start.truncatedTo(ChronoUnit.SECONDS);
        this.currentMonth = YearMonth.from(this.start.atZone(ZoneOffset.UTC));
        this.closedMonth = currentMonth.minusMonths(2);
    }

    /** One usage event as sent, and what it must be booked at. */
    record Event(int index, String partner, String id, String json, BigDecimal expectedAmount, boolean late,
            long quantity) {
    }

    String partnerOf(int index) {
        return partners.get(Math.floorMod(index, partners.size()));
    }

    static String idOf(String partner, int index) {
        return partner + "-e" + index;
    }

    /** The index an event id names, or -1 when it is none of this run's ids. */
    int indexOf(String eventId) {
        int at = eventId == null ? -1 : eventId.lastIndexOf("-e");
        if (at < 0) {
            return -1;
        }
        try {
            int index = Integer.parseInt(eventId.substring(at + 2));
            return index >= 0 && index < events && idOf(partnerOf(index), index).equals(eventId) ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    Event event(int index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        String partner = partnerOf(index);
        boolean late = partner.equals(latePartner) && r.nextBoolean();
        Instant time = late ? timeIn(closedMonth, r) : recentTime(r);
        String model = MODELS[r.nextInt(MODELS.length)];
        String metric = METRICS[r.nextInt(METRICS.length)];
        long quantity = r.nextInt(20) == 0 ? 0 : r.nextLong(1_000_000_000L);
        boolean hasRevenue = r.nextInt(5) != 0;
        BigDecimal revenue = BigDecimal.valueOf(r.nextLong(100_000_000_000_000L), 8); // up to 1,000,000.00000000
        String region = switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> ASTRAL_REGION;
            case 2 -> "eu-west-1";
            default -> "us-east-1";
        };
        // number spelling varies: quantity as number or string, amount as string or number
        String quantityJson = r.nextBoolean() ? Long.toString(quantity) : "\"" + quantity + "\"";
        String amountJson = r.nextBoolean() ? "\"" + revenue.toPlainString() + "\"" : revenue.toPlainString();
        String id = idOf(partner, index);
        StringBuilder json = new StringBuilder(400);
        json.append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                .append("\",\"source\":\"partners/").append(partner)
                .append("\",\"type\":\"revshare.usage.v1\",\"time\":\"").append(time)
                .append("\",\"partnerid\":\"").append(partner)
                .append("\",\"datacontenttype\":\"application/json\",\"data\":{\"model\":\"").append(model)
                .append("\",\"metric\":\"").append(metric).append("\",\"quantity\":").append(quantityJson);
        if (hasRevenue) {
            json.append(",\"revenue\":{\"amount\":").append(amountJson).append(",\"currency\":\"USD\"}");
        }
        if (region != null) {
            json.append(",\"region\":\"").append(region).append('"');
        }
        json.append("}}");
        BigDecimal expected = hasRevenue
                ? revenue.multiply(RATE).setScale(8, RoundingMode.HALF_EVEN)
                : BigDecimal.valueOf(quantity).multiply(UNIT_PRICE).divide(UNIT_SIZE, 8, RoundingMode.HALF_EVEN);
        return new Event(index, partner, id, json.toString(), expected, late, quantity);
    }

    private static Instant timeIn(YearMonth month, SplittableRandom r) {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return from.plusSeconds(r.nextLong(to.getEpochSecond() - from.getEpochSecond()));
    }

    /** A time in the current month before the start (at most two days back). */
    private Instant recentTime(SplittableRandom r) {
        Instant monthStart = currentMonth.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant from = start.minus(2, ChronoUnit.DAYS).isAfter(monthStart) ? start.minus(2, ChronoUnit.DAYS) : monthStart;
        long span = Math.max(1, start.getEpochSecond() - 60 - from.getEpochSecond());
        return from.plusSeconds(r.nextLong(span));
    }

    /** The agreement every partner gets; the late partner's starts with the closed month. */
    String agreementJson(String partner) {
        YearMonth from = partner.equals(latePartner) ? closedMonth : YearMonth.of(currentMonth.getYear(), 1);
        if (from.isAfter(closedMonth)) {
            from = closedMonth;
        }
        return """
                {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"},
                          {"id":"unit","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"0.30","unitSize":1000000}]}"""
                .formatted(from.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
    }
}
