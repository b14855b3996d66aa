package com.revshare.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** SPEC §2.6 statuses and the three totals (reported, received, difference = received − reported). */
class ReconciliationTest {
    private static final Instant FROM = Instant.parse("2026-11-01T12:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-01T13:00:00Z");

    private static ControlEvent control(long count, Map<String, Long> quantities, Map<String, BigDecimal> revenue) {
        return new ControlEvent("aws", "c-1", "s", TO, FROM, TO, count, quantities, revenue);
    }

    private static UsageEvent event(String id, String metric, long quantity, String amount, String currency) {
        return new UsageEvent("aws", id, "s", FROM.plusSeconds(60), "m", metric, quantity,
                amount == null ? null : new UsageEvent.Revenue(new BigDecimal(amount).setScale(8), currency), null);
    }

    private static Totals received(UsageEvent... events) {
        Totals t = Totals.ZERO;
        for (UsageEvent e : events) {
            t = t.plus(e);
        }
        return t;
    }

    @Test
    void everythingEqualIsMatchedAndEveryCurrencyNamedOrCarriedIsListed() {
        // given a control naming USD and GBP (GBP 0) and two events in USD
        ControlEvent c = control(2, Map.of("requests", 3L), Map.of("USD", new BigDecimal("1.5"), "GBP", BigDecimal.ZERO));
        // when it is reconciled with exactly that
        Reconciliation r = Reconciliation.of(c, received(event("a", "requests", 1, "1", "USD"),
                event("b", "requests", 2, "0.5", "USD")));
        // then MATCHED, all three metrics and both currencies in every object
        assertEquals(ControlStatus.MATCHED, r.status());
        for (Totals t : List.of(r.reported(), r.received(), r.difference())) {
            assertEquals(List.of("input_tokens", "output_tokens", "requests"), List.copyOf(t.quantities().keySet()));
            assertEquals(List.of("GBP", "USD"), List.copyOf(t.revenue().keySet()));
        }
        assertEquals("0.00000000", r.difference().revenue().get("USD").toPlainString());
    }

    @Test
    void fewerIsShortMoreIsOverEqualCountOtherSumIsMismatch() {
        ControlEvent c = control(2, Map.of("requests", 3L), Map.of());
        Reconciliation shortOne = Reconciliation.of(c, received(event("a", "requests", 1, null, null)));
        assertEquals(ControlStatus.SHORT, shortOne.status());
        assertEquals(-1, shortOne.difference().eventCount());
        assertEquals(BigInteger.valueOf(-2), shortOne.difference().quantities().get("requests"));

        Reconciliation over = Reconciliation.of(c, received(event("a", "requests", 1, null, null),
                event("b", "requests", 1, null, null), event("c", "requests", 1, null, null)));
        assertEquals(ControlStatus.OVER, over.status());

        Reconciliation mismatch = Reconciliation.of(c, received(event("a", "requests", 1, null, null),
                event("b", "input_tokens", 2, null, null)));
        assertEquals(ControlStatus.MISMATCH, mismatch.status());

        // a currency only the events carry makes a difference too
        Reconciliation revenue = Reconciliation.of(c, received(event("a", "requests", 1, "0.1", "EUR"),
                event("b", "requests", 2, null, null)));
        assertEquals(ControlStatus.MISMATCH, revenue.status());
        assertEquals("0.10000000", revenue.difference().revenue().get("EUR").toPlainString());
        assertEquals("0.00000000", revenue.reported().revenue().get("EUR").toPlainString());
    }
}
