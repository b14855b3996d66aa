package com.revshare.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ProjectFiles;

/**
 * The local run's demo data (issue 13 item 6) shows every feature with data to a first-time user:
 * the demo seeder, run from the built launcher jar against the three running services, leaves
 * receivables with money in every aging bucket and a partner with unallocated credit, a control
 * that stays SHORT and one that was read SHORT and became MATCHED once its late events came,
 * five closed months, a manual adjustment, REVERSAL entries from a re-rating agreement change and
 * the audit records of it all — each read back through the public APIs.
 */
class DemoIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "demoit-";
    private static final List<String> BUCKETS = List.of("current", "1-30", "31-60", "61-90", "90+");
    private static RunningSystem system;
    private static JsonNode seeded;

    @BeforeAll
    static void seedTheDemo() throws Exception {
        system = RunningSystem.get();
        seeded = runSeeder();
    }

    @Test
    void receivablesAsOfTodayHaveMoneyInEveryAgingBucketAndOnePartnerHasUnallocatedCredit() {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode rows = readJson(given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                .queryParam("asOf", today).get("/api/v1/reports/receivables").then().statusCode(200).extract()
                .asString());
        Map<String, JsonNode> mine = new LinkedHashMap<>();
        rows.forEach(r -> {
            if (r.path("partnerId").asText().startsWith(PREFIX)) {
                mine.put(r.path("partnerId").asText(), r);
            }
        });
        assertEquals(8, mine.size(), "a receivables row per demo partner: " + rows);
        for (JsonNode r : mine.values()) {
            BigDecimal left = dec(r, "billed").subtract(dec(r, "paid"));
            BigDecimal right = dec(r, "outstanding").subtract(dec(r, "unallocated"));
            assertEquals(0, left.compareTo(right), "billed − paid = outstanding − unallocated: " + r);
        }
        JsonNode late = mine.get(seeded.path("latePayer").asText());
        for (String bucket : BUCKETS) {
            assertTrue(late.path("aging").path(bucket).isTextual(), bucket + " in " + late);
            assertTrue(new BigDecimal(late.path("aging").path(bucket).asText()).signum() > 0,
                    "the late payer has money in bucket " + bucket + ": " + late);
        }
        assertTrue(dec(mine.get(seeded.path("overpayer").asText()), "unallocated").signum() > 0,
                "the overpayer has unallocated credit: " + mine.get(seeded.path("overpayer").asText()));
        long onTime = mine.values().stream().filter(r -> dec(r, "paid").signum() > 0).count();
        assertTrue(onTime >= 6, "most partners paid: " + mine.values());
    }

    @Test
    void oneControlStaysShortAndOneWentFromShortToMatchedWhenItsMissingEventsArrived() {
        String partner = seeded.path("reconciledPartner").asText();
        JsonNode controls = readJson(given().baseUri(system.ingest.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + partner + "/controls").then().statusCode(200).extract().asString());
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        controls.forEach(c -> byId.put(c.path("controlId").asText(), c));
        assertTrue(byId.size() >= 20, "hourly controls for the last day at least: " + byId.keySet());

        JsonNode stillShort = byId.get(seeded.path("shortControlId").asText());
        assertNotNull(stillShort, "the short control is listed");
        assertEquals("SHORT", stillShort.path("status").asText(), stillShort.toString());
        assertTrue(stillShort.path("difference").path("eventCount").asLong() < 0, stillShort.toString());

        JsonNode healed = byId.get(seeded.path("healedControlId").asText());
        assertNotNull(healed, "the healed control is listed");
        assertTrue(seeded.path("healedObservedShort").asBoolean(),
                "the seeder read the healed control SHORT before its missing events were sent: " + seeded);
        assertEquals("MATCHED", healed.path("status").asText(), healed.toString());
        assertEquals(healed.path("reported").path("eventCount").asLong(),
                healed.path("received").path("eventCount").asLong(), healed.toString());
        assertTrue(healed.path("reported").path("eventCount").asLong() > 0, healed.toString());
    }

    @Test
    void everyPartnerHasItsFiveEarlierMonthsClosedAndTheCurrentOneOpen() {
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        for (JsonNode p : seeded.path("partners")) {
            JsonNode balance = readJson(given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                    .get("/api/v1/partners/" + p.asText() + "/balance").then().statusCode(200).extract().asString());
            Map<String, String> status = new LinkedHashMap<>();
            balance.path("periods").forEach(row -> status.put(row.path("period").asText(), row.path("status").asText()));
            for (int k = 1; k <= 5; k++) {
                assertEquals("CLOSED", status.get(current.minusMonths(k).toString()), p + " " + status);
            }
            assertEquals("OPEN", status.getOrDefault(current.toString(), "OPEN"), p + " " + status);
            assertEquals(0, balance.path("unratedCount").asLong(), balance.toString());
        }
    }

    @Test
    void theOpenMonthHasAManualAdjustmentAndTheReRatingsReversals() {
        String current = YearMonth.now(ZoneOffset.UTC).toString();
        JsonNode adjustments = entries(seeded.path("adjustedPartner").asText(), "MANUAL_ADJUSTMENT", current);
        assertEquals(1, adjustments.size(), adjustments.toString());
        assertEquals(current, adjustments.get(0).path("period").asText());
        assertFalse(adjustments.get(0).path("memo").asText().isBlank());

        String rerated = seeded.path("reratedPartner").asText();
        JsonNode reversals = entries(rerated, "REVERSAL", current);
        assertFalse(reversals.isEmpty(), "the agreement change re-rated events of the open month");
        JsonNode usage = entries(rerated, "USAGE", current);
        for (JsonNode reversal : reversals) {
            assertEquals(current, reversal.path("period").asText(), reversal.toString());
            assertEquals(1, reversal.path("agreementVersion").asInt(), reversal.toString());
            String event = reversal.path("usageEventId").asText();
            boolean reRated = false;
            for (JsonNode u : usage) {
                reRated |= event.equals(u.path("usageEventId").asText()) && u.path("agreementVersion").asInt() == 2;
            }
            assertTrue(reRated, "event " + event + " has a USAGE entry under version 2");
        }
    }

    @Test
    void theAuditTrailRecordsTheDemosCommandsAndPayments() {
        Set<String> expected = Set.of("PARTNER_CREATED", "AGREEMENT_ADDED", "PERIOD_CLOSED", "PAYMENT_RECORDED");
        List<String> actions = auditActions(seeded.path("latePayer").asText());
        assertTrue(actions.containsAll(expected), "late payer's audit: " + actions);
        assertTrue(auditActions(seeded.path("adjustedPartner").asText()).contains("ADJUSTMENT_POSTED"));
        assertEquals(2, auditActions(seeded.path("reratedPartner").asText()).stream()
                .filter("AGREEMENT_ADDED"::equals).count(), "two agreement versions for the re-rated partner");
    }

    private static List<String> auditActions(String partner) {
        List<String> actions = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                    .queryParam("partnerId", partner).queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = readJson(request.get("/api/v1/audit").then().statusCode(200).extract().asString());
            page.path("records").forEach(r -> {
                assertEquals(partner, r.path("partnerId").asText(), r.toString());
                actions.add(r.path("action").asText());
            });
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return actions;
    }

    private static JsonNode entries(String partner, String kind, String period) {
        return readJson(given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                .queryParam("kind", kind).queryParam("period", period).queryParam("limit", 1000)
                .get("/api/v1/reports/partners/" + partner + "/entries").then().statusCode(200).extract().asString())
                .path("entries");
    }

    /**
     * Runs {@code DemoSeeder} from the built launcher jar (as {@code deploy/run-local.sh} would)
     * with this module's partner prefix, a moderate volume and a day of hourly controls; answers
     * its result JSON.
     */
    private static JsonNode runSeeder() throws Exception {
        Path jar = ProjectFiles.root().resolve("deploy/local/target/revshare-local.jar");
        assertTrue(Files.exists(jar), jar + " missing: build deploy/local first (./mvnw -B install -DskipTests)");
        Path dir = Files.createDirectories(Path.of("target", "demo-it").toAbsolutePath());
        Map<String, Object> partnerTokens = new LinkedHashMap<>();
        for (String base : List.of("aws", "azure", "google-cloud", "databricks", "groq", "nvidia", "dell", "snowflake")) {
            partnerTokens.put(PREFIX + base, system.infra.jwt().partner(PREFIX + base, Duration.ofHours(1)));
        }
        Path tokens = dir.resolve("tokens.json");
        JSON.writeValue(tokens.toFile(), Map.of("admin", system.admin(), "finance", system.finance(),
                "partners", partnerTokens));
        Path result = dir.resolve("result.json");
        Files.deleteIfExists(result);
        Path log = dir.resolve("seeder.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process seeder = new ProcessBuilder(java, "-Xmx256m", "-cp", jar.toString(), "com.revshare.local.DemoSeeder",
                "--ingest", system.ingest.baseUrl(), "--ledger", system.ledger.baseUrl(),
                "--reporting", system.reporting.baseUrl(), "--kafka", system.infra.kafkaBootstrap(),
                "--tokens", tokens.toString(), "--prefix", PREFIX, "--events-per-month", "300",
                "--control-hours", "24", "--result", result.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(seeder.waitFor(5, TimeUnit.MINUTES), "the seeder finishes within 5 minutes, see " + log);
        } finally {
            seeder.destroyForcibly();
        }
        assertEquals(0, seeder.exitValue(), "the seeder failed:\n" + Files.readString(log));
        JsonNode answer = JSON.readTree(result.toFile());
        assertEquals(0, answer.path("skipped").size(), "every feature seeded: " + answer);
        assertTrue(answer.path("paymentsRecorded").asInt() > 0, answer.toString());
        return answer; // the seeder ended once reporting was fresh: the reads below need no waiting
    }

    private static BigDecimal dec(JsonNode row, String field) {
        return new BigDecimal(row.path(field).asText());
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
