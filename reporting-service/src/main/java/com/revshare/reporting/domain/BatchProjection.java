package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effect of a batch of applied entries on the read model, pre-aggregated in memory so a
 * batch becomes a handful of additive upserts (SPEC §6 semantics):
 * <ul>
 * <li>per (partner, period): usage and adjustment amounts, eventCount, entry count, close;</li>
 * <li>per (partner, period, model, metric): USAGE + REVERSAL quantity, settlement revenue, amount;</li>
 * <li>per (partner, period, kind): the adjustment kinds' amounts;</li>
 * <li>per (partner, period, model or "", metric or ""): every money entry's amount and quantity
 * (the summary's cells).</li>
 * </ul>
 * Every key is sorted, so the upserts of a batch always touch rows in the same order.
 */
public final class BatchProjection {
    /** Marks "no model" / "no metric" in summary cells. */
    public static final String NONE = "";

    public record PeriodKey(String partnerId, String period) implements Comparable<PeriodKey> {
        @Override
        public int compareTo(PeriodKey o) {
            int c = partnerId.compareTo(o.partnerId);
            return c != 0 ? c : period.compareTo(o.period);
        }
    }

    public record CellKey(String partnerId, String period, String model, String metric) implements Comparable<CellKey> {
        @Override
        public int compareTo(CellKey o) {
            int c = partnerId.compareTo(o.partnerId);
            c = c != 0 ? c : period.compareTo(o.period);
            c = c != 0 ? c : model.compareTo(o.model);
            return c != 0 ? c : metric.compareTo(o.metric);
        }
    }

    public record AdjustmentKey(String partnerId, String period, EntryKind kind) implements Comparable<AdjustmentKey> {
        @Override
        public int compareTo(AdjustmentKey o) {
            int c = partnerId.compareTo(o.partnerId);
            c = c != 0 ? c : period.compareTo(o.period);
            return c != 0 ? c : kind.compareTo(o.kind);
        }
    }

    /** Additive change of one period row; closedAt is set when the batch closes the period. */
    public static final class PeriodDelta {
        private final String currency;
        private BigDecimal usageAmount = BigDecimal.ZERO;
        private BigDecimal adjustmentsAmount = BigDecimal.ZERO;
        private long eventCount;
        private long entryCount;
        private Instant closedAt;

        PeriodDelta(String currency) {
            this.currency = currency;
        }

        public String currency() {
            return currency;
        }

        public BigDecimal usageAmount() {
            return usageAmount;
        }

        public BigDecimal adjustmentsAmount() {
            return adjustmentsAmount;
        }

        public long eventCount() {
            return eventCount;
        }

        public long entryCount() {
            return entryCount;
        }

        public Instant closedAt() {
            return closedAt;
        }
    }

    /** Additive change of one line or summary cell. */
    public static final class CellDelta {
        private BigDecimal quantity = BigDecimal.ZERO;
        private BigDecimal revenue = BigDecimal.ZERO;
        private BigDecimal amount = BigDecimal.ZERO;

        public BigDecimal quantity() {
            return quantity;
        }

        public BigDecimal revenue() {
            return revenue;
        }

        public BigDecimal amount() {
            return amount;
        }
    }

    private final Map<PeriodKey, PeriodDelta> periods = new TreeMap<>();
    private final Map<CellKey, CellDelta> lines = new TreeMap<>();
    private final Map<AdjustmentKey, BigDecimal> adjustments = new TreeMap<>();
    private final Map<CellKey, CellDelta> summaryCells = new TreeMap<>();
    private long entryCount;

    /** A PAYMENT entry: no charge; kept for allocation to billed periods (SPEC §3.8). */
    public record Payment(String partnerId, long sequence, java.time.LocalDate receivedOn, BigDecimal amount,
            String currency) {
    }

    private final java.util.List<Payment> payments = new java.util.ArrayList<>();

    /** Folds one applied entry in (evolve). */
    public void add(LedgerEntry entry) {
        entryCount++;
        EntryKind kind = entry.kind();
        if (kind == EntryKind.PAYMENT) {
            // no period total, line, adjustment, summary cell or overview row: a period whose only
            // entries are payments has none
            payments.add(new Payment(entry.partnerId(), entry.sequence(), entry.receivedOn(), entry.amount(),
                    entry.currency()));
            return;
        }
        PeriodDelta period = periods.computeIfAbsent(new PeriodKey(entry.partnerId(), entry.period()),
                k -> new PeriodDelta(entry.currency()));
        period.entryCount++;
        if (!kind.isMoney()) {
            if (period.closedAt == null) {
                period.closedAt = entry.closedAt();
            }
            return;
        }
        period.eventCount += kind.eventCountDelta();
        BigDecimal quantity = entry.quantity() == null ? BigDecimal.ZERO : BigDecimal.valueOf(entry.quantity());
        if (kind.isUsageLine()) {
            period.usageAmount = period.usageAmount.add(entry.amount());
            CellDelta line = lines.computeIfAbsent(new CellKey(entry.partnerId(), entry.period(),
                    orNone(entry.model()), orNone(entry.metric())), k -> new CellDelta());
            line.quantity = line.quantity.add(quantity);
            if (entry.settlementRevenue() != null) {
                line.revenue = line.revenue.add(entry.settlementRevenue());
            }
            line.amount = line.amount.add(entry.amount());
        } else {
            period.adjustmentsAmount = period.adjustmentsAmount.add(entry.amount());
            adjustments.merge(new AdjustmentKey(entry.partnerId(), entry.period(), kind), entry.amount(),
                    BigDecimal::add);
        }
        CellDelta cell = summaryCells.computeIfAbsent(new CellKey(entry.partnerId(), entry.period(),
                orNone(entry.model()), orNone(entry.metric())), k -> new CellDelta());
        cell.quantity = cell.quantity.add(quantity);
        cell.amount = cell.amount.add(entry.amount());
    }

    private static String orNone(String value) {
        return value == null ? NONE : value;
    }

    public long entryCount() {
        return entryCount;
    }

    public Map<PeriodKey, PeriodDelta> periods() {
        return Collections.unmodifiableMap(periods);
    }

    public Map<CellKey, CellDelta> lines() {
        return Collections.unmodifiableMap(lines);
    }

    public Map<AdjustmentKey, BigDecimal> adjustments() {
        return Collections.unmodifiableMap(adjustments);
    }

    public java.util.List<Payment> payments() {
        return Collections.unmodifiableList(payments);
    }

    public Map<CellKey, CellDelta> summaryCells() {
        return Collections.unmodifiableMap(summaryCells);
    }
}
