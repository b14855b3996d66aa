package com.revshare.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;

/**
 * The two references run against a real broker and PostgreSQL: the ceiling stores every unique
 * event once (duplicates absorbed by ON CONFLICT DO NOTHING) and the naive three-stage model ends
 * with exactly the independently expected money; both report a positive rate.
 */
class ReferencesIT {
    private static final List<String> IDS = Workload.PARTNERS.stream().map(Workload.Partner::baseId).toList();

    @Test
    void ceilingStoresEachUniqueEventOnce() throws Exception {
        Infrastructure infra = Infrastructure.shared();
        Expected expected = new Expected();
        FeedGenerator g = new FeedGenerator(IDS, "itc", 3, Clock.systemUTC(), null, 0.02, 0, 0.03, expected);
        CeilingReference.Result r = CeilingReference.run(infra, "itc", g, 20_000, 2, java.util.Map.of());
        assertEquals(20_000, r.records());
        assertEquals(expected.uniqueEvents(), r.storedRows());
        assertTrue(r.recordsPerSecond() > 0 && r.polls() > 0);
        // the consumer's own CPU: its threads did work, and the whole JVM (threads, GC, JIT) at least as much
        assertTrue(r.consumerThreadCpuSeconds() > 0);
        assertTrue(r.consumeCpu().cpuSeconds("benchmark") >= r.consumerThreadCpuSeconds() * 0.9);
        assertTrue(r.coreMicrosPerRecord() > 0);
    }

    @Test
    void naivePipelineEndsWithTheExpectedMoney() throws Exception {
        Infrastructure infra = Infrastructure.shared();
        Expected expected = new Expected();
        FeedGenerator g = new FeedGenerator(IDS, "itn", 5, Clock.systemUTC(), null, 0.05, 0, 0.0, expected);
        NaiveReference.Result r = NaiveReference.run(infra, "itn", IDS, g, expected, 150);
        assertEquals(expected.uniqueEvents(), r.uniqueEvents());
        assertTrue(r.moneyMatches(), "naive totals equal the independent sum");
        assertTrue(r.eventsPerSecond() > 0);
    }
}
