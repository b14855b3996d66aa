package com.revshare.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local command as a user runs it (on free ports and a temporary data directory): all three
 * services ready, the eight demo partners with non-zero amounts, tokens.json written; a second
 * run on the same directory keeps the key pair and the data and does not replay the demo feed.
 */
class LocalRunIT {
    @Test
    void localRunShowsTheEightDemoPartnersWithNonZeroAmountsAndASecondRunKeepsKeysAndData(@TempDir Path dir)
            throws Exception {
        LocalRun.Options options = freePorts(dir);
        options.demoEvents = 800;
        Map<String, String> firstTotals;
        String publicKey;
        try (LocalRun.LocalSystem system = LocalRun.start(options)) {
            system.printWhereToLook();
            firstTotals = totals(system.report());
            assertEquals(8, firstTotals.size(), system.report().toString());
            for (JsonNode row : system.report()) {
                assertTrue(new BigDecimal(row.path("total").asText()).signum() > 0, row.toString());
                assertTrue(new BigDecimal(row.path("amountDue").asText()).signum() > 0, row.toString());
            }
            assertEquals(800, sumEventCounts(system.report()));
            JsonNode tokens = new ObjectMapper().readTree(system.tokensFile().toFile());
            assertTrue(tokens.path("admin").asText().startsWith("ey"));
            assertTrue(tokens.path("finance").asText().startsWith("ey"));
            assertEquals(8, tokens.path("partners").size());
            publicKey = Files.readString(dir.resolve("jwt/public.pem"));
        }

        try (LocalRun.LocalSystem again = LocalRun.start(freePorts(dir))) {
            assertEquals(publicKey, Files.readString(dir.resolve("jwt/public.pem")), "the key pair is reused");
            assertEquals(firstTotals, totals(again.report()), "the data is kept and the demo not replayed");
        }
    }

    private static LocalRun.Options freePorts(Path dir) {
        LocalRun.Options o = new LocalRun.Options();
        o.dataDir = dir;
        o.kafkaPort = 0;
        o.pgPort = 0;
        o.ingestPort = 0;
        o.ledgerPort = 0;
        o.reportingPort = 0;
        o.ingestManagementPort = 0;
        o.ledgerManagementPort = 0;
        o.reportingManagementPort = 0;
        return o;
    }

    private static Map<String, String> totals(JsonNode report) {
        Map<String, String> totals = new TreeMap<>();
        report.forEach(row -> totals.put(row.path("partnerId").asText(), row.path("total").asText()));
        return totals;
    }

    private static long sumEventCounts(JsonNode report) {
        long n = 0;
        for (JsonNode row : report) {
            n += row.path("eventCount").asLong();
        }
        return n;
    }
}
