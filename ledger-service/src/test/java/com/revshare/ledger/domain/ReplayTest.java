package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.qty;
import static com.revshare.ledger.domain.Terms.tiered;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/**
 * Issue 3 acceptance: replaying the same accepted events with the same admin commands at the same
 * points into an empty ledger reproduces every entry's amount, kind and sequence.
 */
class ReplayTest {

    private static List<String> run(Consumer<LedgerScenario> history) {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        history.accept(s);
        return s.entries().stream().map(e -> e.sequence() + " " + e.kind() + " " + e.period() + " "
                + e.amount().toPlainString() + " " + e.usageEventId()).toList();
    }

    @Test
    void replayingTheSameInputsReproducesEveryEntry() {
        Consumer<LedgerScenario> history = s -> {
            s.agreement(version("2026-10-01T00:00:00Z", null, "USD", "50", null, tiered("t", "llama*", "*",
                    "QUANTITY", "VOLUME", qty(1000L, "0.05", 1), qty(null, "0.02", 1)), percent("rev", "*", "*", "0.1")));
            s.usage(event("a", "2026-10-02T00:00:00Z", 600, "10"), event("b", "2026-10-03T00:00:00Z", 700, null));
            s.usage(event("c", "2026-10-04T00:00:00Z", "mistral", "requests", 1, "99", "EUR"));
            s.agreement(version("2026-10-03T00:00:00Z", null, "USD", "60", null, percent("rev", "*", "*", "0.2")));
            s.fxRate("2026-10-04", "EUR", "USD", "1.1");
            s.forceClose("2026-10"); // "b" has no revenue and version 2 only a revenue rule: parked
            s.usage(event("late", "2026-10-30T00:00:00Z", 5, "5"));
            s.adjust("2026-11", "1.5", "memo");
        };
        List<String> first = run(history);
        assertEquals(first, run(history));
        // a 30 (VOLUME 600 × 0.05), b 14, version 2 reverses b and parks it (revenue rule, no revenue),
        // c waits for its rate then 99 × 1.1 × 0.2; the minimum 60 of version 2 tops 51.78 up by 8.22
        assertEquals(List.of("1 USAGE 2026-10 30.00000000 a", "2 USAGE 2026-10 14.00000000 b",
                "3 REVERSAL 2026-10 -14.00000000 b", "4 USAGE 2026-10 21.78000000 c",
                "5 MINIMUM_TRUE_UP 2026-10 8.22000000 null", "6 PERIOD_CLOSED 2026-10 0.00000000 null",
                "7 LATE_USAGE 2026-11 1.00000000 late", "8 MANUAL_ADJUSTMENT 2026-11 1.50000000 null"), first);
    }
}
