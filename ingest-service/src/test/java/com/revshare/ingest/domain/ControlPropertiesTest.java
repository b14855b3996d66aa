package com.revshare.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Issue 13's property (seeded, {@link Seeded}): for random event streams (with re-deliveries) and random
 * controls, what a control's window {@code received} — summed from per-(partner, hour) totals as ingest keeps
 * them — equals an independent count over the unique events with time in [from, to), and the status follows
 * from the independent figures alone.
 */
class ControlPropertiesTest {
    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
    private static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");
    private static final List<String> CURRENCIES = List.of("USD", "EUR", "JPY");

    @Test
    void receivedEqualsAnIndependentCountOfTheUniqueEventsInTheWindow() {
        Seeded.forAll("controlsReceived", 500, random -> {
            // given a stream of events over ~40 days, some delivered again (same id, first one counts)
            int hours = 960;
            List<UsageEvent> stream = new ArrayList<>();
            int events = random.nextInt(400);
            for (int i = 0; i < events; i++) {
                if (!stream.isEmpty() && random.nextInt(8) == 0) {
                    stream.add(stream.get(random.nextInt(stream.size())));
                    continue;
                }
                Instant time = START.plusSeconds(random.nextInt(hours * 3600)).plusNanos(random.nextInt(3) == 0
                        ? random.nextInt(1_000_000_000) : 0);
                long quantity = random.nextInt(5) == 0 ? random.nextLong(1_000_000_000_000_001L) : random.nextInt(1000);
                UsageEvent.Revenue revenue = random.nextInt(3) == 0 ? null : new UsageEvent.Revenue(
                        BigDecimal.valueOf(random.nextLong(1_000_000_000_000L), random.nextInt(9)).setScale(8),
                        CURRENCIES.get(random.nextInt(CURRENCIES.size())));
                stream.add(new UsageEvent("aws", "e-" + i, "s", time, "m", METRICS.get(random.nextInt(3)), quantity,
                        revenue, null));
            }

            // when ingest keeps them as it does: unique ids only, added to their hour's totals
            Set<String> seen = new HashSet<>();
            List<UsageEvent> unique = new ArrayList<>();
            Map<Instant, Totals> byHour = new TreeMap<>();
            for (UsageEvent e : stream) {
                if (seen.add(e.eventId())) {
                    unique.add(e);
                    byHour.merge(Totals.hourOf(e.time()), Totals.ZERO.plus(e), Totals::plus);
                }
            }

            for (int c = 0; c < 5; c++) {
                Instant from = START.plusSeconds(3600L * random.nextInt(hours));
                Instant to = from.plusSeconds(3600L * (1 + random.nextInt(744)));
                Totals sum = Totals.ZERO;
                for (Map.Entry<Instant, Totals> h : byHour.entrySet()) {
                    if (!h.getKey().isBefore(from) && h.getKey().isBefore(to)) {
                        sum = sum.plus(h.getValue());
                    }
                }
                Totals received = sum;

                // then it equals the independent count over the unique events in [from, to)
                long count = 0;
                Map<String, BigInteger> quantities = new LinkedHashMap<>();
                METRICS.forEach(m -> quantities.put(m, BigInteger.ZERO));
                Map<String, BigDecimal> revenue = new TreeMap<>();
                for (UsageEvent e : unique) {
                    if (!e.time().isBefore(from) && e.time().isBefore(to)) {
                        count++;
                        quantities.merge(e.metric(), BigInteger.valueOf(e.quantity()), BigInteger::add);
                        if (e.revenue() != null) {
                            revenue.merge(e.revenue().currency(), e.revenue().amount(), BigDecimal::add);
                        }
                    }
                }
                assertEquals(count, received.eventCount());
                assertEquals(quantities, new LinkedHashMap<>(received.quantities()));
                assertEquals(revenue.keySet(), received.revenue().keySet());
                revenue.forEach((k, v) -> assertEquals(0, v.compareTo(received.revenue().get(k)), k));

                // and a control reporting the independent figures (or figures off by a little) gets the status
                // the independent figures give
                long reportedCount = Math.max(0, count + random.nextInt(3) - 1);
                Map<String, Long> reportedQuantities = new TreeMap<>();
                boolean quantitiesFit = true;
                for (String m : METRICS) {
                    BigInteger q = quantities.get(m).add(BigInteger.valueOf(random.nextInt(4) == 0 ? 1 : 0));
                    if (q.bitLength() < 63 && (random.nextBoolean() || q.signum() != 0)) {
                        reportedQuantities.put(m, q.longValueExact());
                    } else if (q.signum() != 0) {
                        quantitiesFit = false;
                    }
                }
                if (!quantitiesFit) {
                    continue; // a sum beyond a control's grammar cannot be reported
                }
                Map<String, BigDecimal> reportedRevenue = new TreeMap<>(revenue);
                if (random.nextInt(4) == 0) {
                    reportedRevenue.merge("USD", new BigDecimal("0.00000001"), BigDecimal::add);
                }
                ControlEvent control = new ControlEvent("aws", "c-" + c, "s", to, from, to, reportedCount,
                        reportedQuantities, reportedRevenue);
                Reconciliation r = Reconciliation.of(control, received);
                boolean sumsEqual = METRICS.stream().allMatch(m -> quantities.get(m)
                        .equals(BigInteger.valueOf(reportedQuantities.getOrDefault(m, 0L))))
                        && union(revenue, reportedRevenue).stream().allMatch(k -> revenue.getOrDefault(k, BigDecimal.ZERO)
                                .compareTo(reportedRevenue.getOrDefault(k, BigDecimal.ZERO)) == 0);
                ControlStatus expected = count < reportedCount ? ControlStatus.SHORT
                        : count > reportedCount ? ControlStatus.OVER
                        : sumsEqual ? ControlStatus.MATCHED : ControlStatus.MISMATCH;
                assertEquals(expected, r.status());
                assertEquals(count - reportedCount, r.difference().eventCount());
            }
        });
    }

    private static Set<String> union(Map<String, ?> a, Map<String, ?> b) {
        Set<String> keys = new HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
