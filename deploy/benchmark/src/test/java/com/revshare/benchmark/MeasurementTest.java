package com.revshare.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Percentiles, the visible-sequence latency accounting and /proc sampling give the figures they claim. */
class MeasurementTest {

    @Test
    void nearestRankPercentiles() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = 100 - i; // 100..1, unsorted
        }
        Percentiles p = new Percentiles(samples, 100);
        assertEquals(50, p.at(50));
        assertEquals(99, p.at(99));
        assertEquals(1, p.at(0));
        assertEquals(100, p.max());
        assertEquals(-1, new Percentiles(new long[0], 0).at(99));
        assertEquals(7, new Percentiles(new long[] {7}, 1).at(99.9));
    }

    @Test
    void theKthEventOfAPartnerIsVisibleWhenItsSequenceReachesBasePlusK() {
        PhaseTracker t = new PhaseTracker("p", new long[] {10, 0});
        t.sent(0, 1_000_000, false);  // partner 0, event 1 at 1 ms
        t.sent(1, 2_000_000, false);  // partner 1, event 1 at 2 ms
        t.sent(0, 3_000_000, true);   // a duplicate: no entry, no latency
        t.sent(0, 4_000_000, false);  // partner 0, event 2 at 4 ms
        t.doneProducing();
        t.onVisible(11_000_000, new long[] {11, 0}); // partner 0's first entry visible at 11 ms
        assertFalse(t.complete());
        t.onVisible(24_000_000, new long[] {12, 1});
        assertTrue(t.complete());
        Percentiles l = t.latencies();
        assertEquals(3, l.count());
        assertEquals(10_000, l.at(1));   // 11 ms - 1 ms, in microseconds
        assertEquals(20_000, l.at(50));  // 24 - 4, the middle of 10, 20 and 22 ms
        assertEquals(22_000, l.max());   // 24 - 2 and 24 - 4 = 20
        assertEquals(4, t.recordsSent());
        assertEquals(3, t.uniqueSent());
        assertEquals(3 / 0.023, t.endToEndRate(), 1e-6);
        assertEquals(11_000_000, t.firstVisibleNanos());
    }

    @Test
    void sequencesBeyondWhatWasSentAreNotCredited() {
        PhaseTracker t = new PhaseTracker("p", new long[] {0});
        t.sent(0, 0, false);
        t.onVisible(5_000, new long[] {3});
        assertEquals(1, t.creditedTotal());
    }

    @Test
    void procStatsReadThisProcessAndAChild() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcStats.Proc me = ProcStats.read(self).orElseThrow();
        assertTrue(me.cpuSeconds() > 0);
        assertTrue(me.rssKb() > 10_000 && me.hwmKb() >= me.rssKb() && me.pssKb() > 0);
        Process child = new ProcessBuilder("sleep", "29.7531").start();
        try {
            List<Long> pids = ProcStats.withChildren(self);
            assertEquals(self, pids.get(0));
            assertTrue(pids.contains(child.pid()));
            ProcStats.Group g = ProcStats.group("test", pids);
            assertTrue(g.processes() >= 2);
            assertTrue(g.rssKb() > me.rssKb() / 2);
            assertEquals(List.of(child.pid()), ProcStats.byCommandLine("sleep 29.7531"), "found by its command line");
        } finally {
            child.destroy();
            child.waitFor(5, TimeUnit.SECONDS);
        }
        assertTrue(ProcStats.read(child.pid()).isEmpty(), "an ended process reads as absent");
    }

    @Test
    void theProcessListeningOnAPortIsFound() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(ProcessHandle.current().pid(), ProcStats.listeningPid(socket.getLocalPort()));
        }
    }

    @Test
    void chartsAreSelfContainedSvg() {
        String svg = SvgChart.lineChart("A <title>", "records/s", new double[] {1, 2, 3},
                Map.of("ingest", new double[] {10, Double.NaN, 30}), List.of(new SvgChart.Marker(2, "phase")));
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(svg.contains("A &lt;title&gt;"));
        assertFalse(svg.contains("http://") && svg.replace("http://www.w3.org/2000/svg", "").contains("http"));
        // two finite points: the NaN is skipped
        String points = svg.substring(svg.indexOf("points=\"") + 8);
        assertEquals(2, points.substring(0, points.indexOf('"')).split(" ").length);
        assertEquals(50, SvgChart.niceCeiling(42), 1e-9);
        assertEquals(25_000, SvgChart.niceCeiling(21_000), 1e-9);
        assertEquals("12k", SvgChart.format(12_345));
    }

    @Test
    void optionsParseAndSmokeIsSmall() {
        Options o = Options.parse(new String[] {"--smoke", "--rate", "max", "--service-prop", "a=b=c",
            "--target-urls", "ingest=http://h:1/,ledger=http://h:2,reporting=http://h:3"});
        assertTrue(o.smoke && o.events <= 50_000 && o.targetMode());
        assertEquals(0, o.rate);
        assertEquals("b=c", o.serviceProps.get("a"));
        assertEquals("http://h:1", o.targetUrls.get("ingest"));
        Options full = Options.parse(new String[0]);
        assertEquals(2_000_000, full.events);
        assertEquals(10_000_000, full.loadEntries);
    }

    @Test
    void threadCpuNamesTheThreadThatBurnedTheCpu() throws Exception {
        // given a thread of this JVM that only computes, for at least 300 ms of its own CPU time, and
        // then stays alive until the window has closed (a thread that ended is no longer in /proc)
        long self = ProcessHandle.current().pid();
        ThreadCpu window = ThreadCpu.open(Map.of("benchmark", () -> List.of(self)));
        java.util.concurrent.CountDownLatch burned = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch measured = new java.util.concurrent.CountDownLatch(1);
        Thread burner = new Thread(() -> {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long start = mx.getCurrentThreadCpuTime();
            long x = 0;
            while (mx.getCurrentThreadCpuTime() - start < 300_000_000L) {
                x += Long.numberOfTrailingZeros(x + 17);
            }
            if (x == 42) {
                System.out.println(x);
            }
            burned.countDown();
            try {
                measured.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cpu-burner");
        burner.start();
        burned.await();

        // when the window closes
        ThreadCpu.Busiest busiest = window.close();
        measured.countDown();
        burner.join();

        // then the burner is the busiest thread, with its CPU over the window's wall time
        ThreadCpu.Thread top = busiest.byGroup().get("benchmark");
        assertEquals("cpu-burner", top.name());
        assertTrue(top.cores() > 0 && top.cores() <= 1.05, "cores " + top.cores());
        assertEquals(top, busiest.top());
    }
}
