package com.revshare.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local command as a user runs it (on free ports and a temporary data directory): all three
 * services ready, the demo seeded (the eight partners' last month closed with money due),
 * tokens.json written; a second run on the same directory with {@code --demo} and the same demo
 * present keeps the key pair and the data and adds nothing: every partner's ledger ends at the
 * same sequence and ingest accepted no event twice.
 */
class LocalRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void localRunSeedsTheDemoAndASecondSeedingAddsNothing(@TempDir Path dir) throws Exception {
        Instant demoNow = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
        LocalRun.Options options = freePorts(dir, demoNow);
        Map<String, String> sequences;
        Map<String, String> accepted;
        String publicKey;
        try (LocalRun.LocalSystem system = LocalRun.start(options)) {
            system.printWhereToLook();
            assertNotNull(system.seeded(), "a first start seeds the demo");
            assertEquals(8, system.closedReport().size(), system.closedReport().toString());
            for (JsonNode row : system.closedReport()) {
                assertEquals("CLOSED", row.path("status").asText(), row.toString());
                assertTrue(new BigDecimal(row.path("amountDue").asText()).signum() > 0, row.toString());
                assertTrue(row.path("eventCount").asLong() > 0, row.toString());
            }
            JsonNode tokens = JSON.readTree(system.tokensFile().toFile());
            assertTrue(tokens.path("admin").asText().startsWith("ey"));
            assertTrue(tokens.path("finance").asText().startsWith("ey"));
            assertEquals(8, tokens.path("partners").size());
            publicKey = Files.readString(dir.resolve("jwt/public.pem"));
            sequences = perPartner(system, "ledger", "/balance", "lastSequence");
            accepted = perPartner(system, "ingest", "/intake", "accepted");
        }

        LocalRun.Options again = freePorts(dir, demoNow);
        again.demo = true;
        try (LocalRun.LocalSystem system = LocalRun.start(again)) {
            assertNotNull(system.seeded(), "--demo seeds again");
            assertEquals(publicKey, Files.readString(dir.resolve("jwt/public.pem")), "the key pair is reused");
            assertEquals(sequences, perPartner(system, "ledger", "/balance", "lastSequence"),
                    "a second seeding adds no ledger entry");
            assertEquals(accepted, perPartner(system, "ingest", "/intake", "accepted"),
                    "a second seeding adds no accepted event");
        }
    }

    private static LocalRun.Options freePorts(Path dir, Instant demoNow) {
        LocalRun.Options o = new LocalRun.Options();
        o.dataDir = dir;
        o.demoEvents = 300;
        o.demoNow = demoNow;
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

    private static Map<String, String> perPartner(LocalRun.LocalSystem system, String service, String path,
            String field) throws Exception {
        Map<String, String> values = new TreeMap<>();
        String finance = system.jwt().finance(Duration.ofMinutes(5));
        for (String partner : system.seeded().partners()) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(system.url(service)
                    + "/api/v1/partners/" + partner + path)).header("Authorization", "Bearer " + finance).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            values.put(partner, JSON.readTree(r.body()).path(field).asText());
        }
        return values;
    }
}
