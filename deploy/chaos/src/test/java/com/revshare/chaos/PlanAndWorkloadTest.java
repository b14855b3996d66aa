package com.revshare.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The suite's own logic without the system: its events, its expectations and its fault plan. */
class PlanAndWorkloadTest {
    private static final List<String> INSTANCES = List.of("ingest-1", "ingest-2", "ledger-1", "ledger-2",
            "reporting-1", "reporting-2");

    @Test
    void everyPlanHasABrokerCrashAPostgresCrashAKillAndAFreezeInIncreasingOrder() {
        for (long seed = 1; seed <= 200; seed++) {
            // given any seed and the CI's number of faults
            Options o = Options.ci();
            o.seed = seed;

            // when the plan is drawn
            List<Faults.Planned> plan = Faults.plan(o, INSTANCES);

            // then it holds the four kinds, at increasing points inside the stream, on real instances
            assertEquals(6, plan.size());
            Set<Faults.Kind> kinds = new HashSet<>();
            double previous = 0;
            for (Faults.Planned f : plan) {
                kinds.add(f.kind());
                assertTrue(f.at() > previous && f.at() < 1, "seed " + seed + ": " + plan);
                previous = f.at();
                boolean onInstance = f.kind() == Faults.Kind.KILL_INSTANCE || f.kind() == Faults.Kind.PAUSE_INSTANCE;
                assertEquals(onInstance, f.target() != null && INSTANCES.contains(f.target()), "seed " + seed);
            }
            assertEquals(Set.of(Faults.Kind.values()), kinds, "seed " + seed);
        }
    }

    @Test
    void eventsAreReproducibleAndTheirExpectedAmountIsRound8OfTheRuleAppliedToTheirOwnJson() throws Exception {
        // given a workload
        Workload w = new Workload(42, 10_000, 4, Instant.parse("2026-12-03T10:00:00Z"));
        int late = 0;
        for (int i = 0; i < 10_000; i++) {
            // when an event is generated twice
            Workload.Event e = w.event(i);
            assertEquals(e, w.event(i));

            // then its JSON carries what its expectation was computed from
            JsonNode json = Api.JSON.readTree(e.json());
            assertEquals(e.id(), json.path("id").asText());
            assertEquals(i, w.indexOf(e.id()));
            JsonNode revenue = json.path("data").path("revenue");
            BigDecimal expected = revenue.isMissingNode()
                    ? new BigDecimal(json.path("data").path("quantity").asText()).multiply(new BigDecimal("0.30"))
                            .divide(new BigDecimal("1000000"), 8, java.math.RoundingMode.HALF_EVEN)
                    : new BigDecimal(revenue.path("amount").asText()).multiply(new BigDecimal("0.15"))
                            .setScale(8, java.math.RoundingMode.HALF_EVEN);
            assertEquals(0, expected.compareTo(e.expectedAmount()), e.json());
            Instant time = Instant.parse(json.path("time").asText());
            assertTrue(time.isBefore(Instant.parse("2026-12-03T10:00:00Z")), e.json());
            if (e.late()) {
                late++;
                assertEquals(w.latePartner, e.partner());
                assertTrue(time.toString().startsWith("2026-10"), e.json());
            }
        }
        assertTrue(late > 1000, "the late partner sends about half its events into the closed month: " + late);
        assertEquals(-1, w.indexOf("chaos-p1-e3")); // event 3 belongs to another partner
    }

    @Test
    void hostileRecordsAreUniqueAndNeverAValidEvent() {
        Workload w = new Workload(42, 1000, 4, Instant.parse("2026-12-03T10:00:00Z"));
        Fuzz fuzz = new Fuzz(42, w);
        Set<String> shas = new HashSet<>();
        Set<Integer> kinds = new HashSet<>();
        for (int n = 0; n < 5000; n++) {
            Fuzz.Record r = fuzz.record(n, n % 2 == 0);
            assertTrue(shas.add(r.sha256()), "record " + n + " repeats another");
            kinds.add(r.kind());
            assertNotEquals(-1, r.kind());
            if (n % 2 == 0) {
                assertTrue(r.object(), "an object-only draw gave kind " + r.kind());
            }
        }
        assertEquals(Fuzz.ALL_KINDS, kinds.size(), "every kind is drawn");
    }
}
