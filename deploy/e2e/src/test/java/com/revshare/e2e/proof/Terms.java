package com.revshare.e2e.proof;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The test's own reading of SPEC §3.1–§3.4: agreement versions, their rules and how one event is
 * rated, written from the SPEC text alone (no ledger code) so that it can disagree with the ledger.
 */
public final class Terms {
    private Terms() {
    }

    /** round8 of SPEC §3.4: HALF_EVEN to 8 fraction digits, once per entry. */
    public static BigDecimal round8(BigDecimal exact) {
        return exact.setScale(8, RoundingMode.HALF_EVEN);
    }

    /** One tier: {@code upTo} null for the last; {@code price} per basis unit (unitPrice/unitSize or rate). */
    public record Tier(Long upTo, BigDecimal unitPrice, Long unitSize, BigDecimal rate) {
        BigDecimal price() {
            return rate != null ? rate : unitPrice.divide(BigDecimal.valueOf(unitSize));
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("upTo", upTo);
            if (rate != null) {
                m.put("rate", rate.toPlainString());
            } else {
                m.put("unitPrice", unitPrice.toPlainString());
                m.put("unitSize", unitSize);
            }
            return m;
        }
    }

    /** A rule of SPEC §3.2; unused fields null. */
    public record Rule(String id, String model, String metric, String type, BigDecimal rate, BigDecimal unitPrice,
            Long unitSize, String basis, String mode, List<Tier> tiers) {
        public boolean tiered() {
            return "TIERED".equals(type);
        }

        boolean revenueBased() {
            return "PERCENT_OF_REVENUE".equals(type) || (tiered() && "REVENUE".equals(basis));
        }

        boolean matches(Event e) {
            return glob(model).matcher(e.model()).matches() && ("*".equals(metric) || metric.equals(e.metric()))
                    && (!revenueBased() || e.revenueAmount() != null);
        }

        /** The graduated price of a cumulative basis {@code total}: Σ max(0, min(B, U_i) − L_i) × p_i. */
        public BigDecimal graduated(BigDecimal total) {
            BigDecimal price = BigDecimal.ZERO;
            BigDecimal lower = BigDecimal.ZERO;
            for (Tier t : tiers) {
                BigDecimal upper = t.upTo() == null ? total : BigDecimal.valueOf(t.upTo()).min(total);
                if (upper.compareTo(lower) > 0) {
                    price = price.add(upper.subtract(lower).multiply(t.price()));
                }
                if (t.upTo() == null) {
                    break;
                }
                lower = BigDecimal.valueOf(t.upTo());
            }
            return price;
        }

        /** The marginal price at B: the tier with L &lt; B ≤ U, the first tier when B = 0. */
        public BigDecimal marginal(BigDecimal total) {
            if (total.signum() == 0) {
                return tiers.get(0).price();
            }
            BigDecimal lower = BigDecimal.ZERO;
            for (Tier t : tiers) {
                if (total.compareTo(lower) > 0 && (t.upTo() == null || total.compareTo(BigDecimal.valueOf(t.upTo())) <= 0)) {
                    return t.price();
                }
                lower = BigDecimal.valueOf(t.upTo() == null ? Long.MAX_VALUE : t.upTo());
            }
            throw new IllegalStateException("no tier reaches " + total);
        }

        /** The exact price of a month's total basis B under the rule's mode (§3.2, the close's target). */
        public BigDecimal monthPrice(BigDecimal total) {
            return "GRADUATED".equals(mode) ? graduated(total) : total.multiply(marginal(total));
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("model", model);
            m.put("metric", metric);
            m.put("type", type);
            switch (type) {
                case "PERCENT_OF_REVENUE" -> m.put("rate", rate.toPlainString());
                case "PER_UNIT" -> {
                    m.put("unitPrice", unitPrice.toPlainString());
                    m.put("unitSize", unitSize);
                }
                default -> {
                    m.put("basis", basis);
                    m.put("mode", mode);
                    List<Object> list = new ArrayList<>();
                    tiers.forEach(t -> list.add(t.json()));
                    m.put("tiers", list);
                }
            }
            return m;
        }
    }

    /** An agreement version of §3.1; {@code to} null = open-ended; minimum and cap may be null. */
    public record Version(int number, Instant from, Instant to, BigDecimal minimum, BigDecimal cap, List<Rule> rules) {
        boolean covers(Instant t) {
            return !t.isBefore(from) && (to == null || t.isBefore(to));
        }

        public Map<String, Object> json(String currency) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("effectiveFrom", from.toString());
            if (to != null) {
                m.put("effectiveTo", to.toString());
            }
            m.put("currency", currency);
            m.put("monthlyMinimum", minimum == null ? null : minimum.toPlainString());
            m.put("monthlyCap", cap == null ? null : cap.toPlainString());
            List<Object> list = new ArrayList<>();
            rules.forEach(r -> list.add(r.json()));
            m.put("rules", list);
            return m;
        }
    }

    /** A usage event as the test sent it; revenue fields null when the event has none. */
    public record Event(String id, Instant time, String model, String metric, long quantity, BigDecimal revenueAmount,
            String revenueCurrency, String revenueText) {
    }

    /** What rating an event gives: the rule, its basis (quantity or settlement revenue) and the settlement revenue. */
    public record Rated(int version, Rule rule, BigDecimal basis, BigDecimal settlementRevenue) {
        /** The entry amount for a non-tiered rule (tiered rules are priced by the caller). */
        public BigDecimal amount() {
            return switch (rule.type()) {
                case "PERCENT_OF_REVENUE" -> round8(settlementRevenue.multiply(rule.rate()));
                case "PER_UNIT" -> round8(basis.multiply(rule.unitPrice()).divide(BigDecimal.valueOf(rule.unitSize())));
                default -> throw new IllegalStateException("a tiered amount depends on the processing order");
            };
        }
    }

    /** The governing version at {@code t}: among those covering it, the highest-numbered (added later). */
    public static Version governing(List<Version> versions, Instant t) {
        Version best = null;
        for (Version v : versions) {
            if (v.covers(t) && (best == null || v.number() > best.number())) {
                best = v;
            }
        }
        return best;
    }

    /** Rates {@code e} by {@code v}; {@code fx} converts the revenue to the settlement currency (§3.3). */
    public static Rated rate(Version v, Event e, String settlementCurrency, Fx fx) {
        BigDecimal settlement = null;
        if (e.revenueAmount() != null) {
            settlement = e.revenueCurrency().equals(settlementCurrency) ? e.revenueAmount()
                    : e.revenueAmount().multiply(fx.rate(e.time(), e.revenueCurrency(), settlementCurrency));
        }
        for (Rule r : v.rules()) {
            if (r.matches(e)) {
                BigDecimal basis = r.tiered() && "REVENUE".equals(r.basis()) ? settlement : BigDecimal.valueOf(e.quantity());
                return new Rated(v.number(), r, basis, settlement);
            }
        }
        throw new IllegalStateException("every version ends with a catch-all rule");
    }

    private static Pattern glob(String glob) {
        List<String> parts = new ArrayList<>();
        for (String part : glob.split("\\*", -1)) {
            parts.add(Pattern.quote(part));
        }
        return Pattern.compile(String.join(".*", parts), Pattern.DOTALL);
    }

    /** The FX rates a scenario sets (§3.3), the same for every scenario on the same date and pair. */
    @FunctionalInterface
    public interface Fx {
        BigDecimal rate(Instant eventTime, String base, String quote);
    }
}
