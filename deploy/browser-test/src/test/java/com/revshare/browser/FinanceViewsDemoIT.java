package com.revshare.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.ProjectFiles;
import com.revshare.infra.ServiceProcess;
import com.revshare.local.DemoSeeder;

/**
 * The finance views (issue 13) over the real system: ingest, ledger and reporting from their built
 * jars on a real broker and PostgreSQL, the ledger and ingest allowing reporting's origin by CORS,
 * seeded through their public APIs by the local run's {@link DemoSeeder} (six months, payments with
 * a late payer and an overpayer, hourly controls with a SHORT hour, an adjustment, a re-rating).
 * Every figure the receivables, reconciliation, audit and proof views show is compared with the
 * API that serves it, and the screenshots of the demo data go to docs/screenshots with
 * {@code -Dscreenshots=true}. Runs in its own JVM (failsafe does not reuse forks), hence on its own
 * broker and databases.
 */
@ExtendWith(ChromiumAvailable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FinanceViewsDemoIT {
    private static final Path WORK = Path.of("target", "browser-test-demo").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    /** The local run's demo partners (deploy/local DemoData), for their tokens. */
    private static final List<String> DEMO_PARTNERS = List.of("aws", "azure", "google-cloud", "databricks", "groq",
            "nvidia", "dell", "snowflake");
    private static final List<String> AGING_BUCKETS = List.of("current", "1-30", "31-60", "61-90", "90+");

    private static Infrastructure infra;
    private static ServiceProcess ingest;
    private static ServiceProcess ledger;
    private static ServiceProcess reporting;
    private static LiveSystem system;
    private static BrowserSession browser;
    private static DemoSeeder.Result seeded;
    private static String finance;

    @BeforeAll
    static void startTheSystemAndSeedTheDemo() throws Exception {
        Chromium chromium = BrowserSession.requireChromiumAndFreshWork(WORK);
        infra = Infrastructure.shared();
        system = LiveSystem.start(infra, "demo", WORK.resolve("logs"));
        ingest = system.ingest();
        ledger = system.ledger();
        reporting = system.reporting();
        finance = infra.jwt().finance(Duration.ofHours(2));
        Map<String, String> partnerTokens = new LinkedHashMap<>();
        DEMO_PARTNERS.forEach(p -> partnerTokens.put(p, infra.jwt().partner(p, Duration.ofHours(2))));
        seeded = DemoSeeder.seed(ingest.baseUrl(), ledger.baseUrl(), reporting.baseUrl(), infra.kafkaBootstrap(),
                infra.jwt().admin(Duration.ofHours(2)), finance, partnerTokens, Instant.now().minusSeconds(60),
                DemoSeeder.Options.defaults().withEventsPerMonth(300).withControlHours(48));
        System.out.println("[browser-test] demo seeded: " + seeded.toJson());
        browser = BrowserSession.start(chromium, WORK, WORK.resolve("downloads"), 1800, Duration.ofSeconds(30),
                UI_TIMEOUT);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void receivablesOfTheDemoAreTheApisAndEveryAgingBucketHoldsMoney() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, JsonNode> rows = new TreeMap<>();
        get(reporting.baseUrl() + "/api/v1/reports/receivables?asOf=" + today).forEach(r -> rows.put(r.get("partnerId").asText(), r));
        assertFalse(rows.isEmpty());
        JsonNode late = rows.get(seeded.latePayer());
        assertNotNull(late, "the late payer has a receivable");
        for (String bucket : AGING_BUCKETS) { // the demo's promise (issue 13 item 6): the late payer's five months age into the five buckets
            assertTrue(new BigDecimal(late.get("aging").get(bucket).asText()).signum() > 0, "late payer's " + bucket);
        }
        assertTrue(new BigDecimal(rows.get(seeded.overpayer()).get("unallocated").asText()).signum() > 0, "overpayer's credit");

        open("token=" + finance + "&view=receivables");
        awaitTrue("document.querySelector('#receivables').dataset.state === 'ready' "
                + "&& document.querySelector('#receivables').dataset.asOf === '" + today + "'");
        for (JsonNode row : rows.values()) {
            Map<String, Object> shown = fieldsOf("#receivables-table tbody tr[data-partner='" + row.get("partnerId").asText() + "']");
            for (String field : List.of("billed", "paid", "outstanding", "unallocated")) {
                assertEquals(row.get(field).asText(), shown.get(field), row.get("partnerId").asText() + " " + field);
            }
            row.get("aging").fields().forEachRemaining(b -> assertEquals(b.getValue().asText(), shown.get("aging." + b.getKey()),
                    row.get("partnerId").asText() + " " + b.getKey()));
        }
        assertEquals(rows.size(), ((Number) js("return document.querySelectorAll('#receivables-table tbody tr[data-partner]').length"))
                .intValue(), "one row per receivable");
        Map<String, Object> lateShown = fieldsOf("#receivables-table tbody tr[data-partner='" + seeded.latePayer() + "']");
        for (String bucket : AGING_BUCKETS) { // every aging bucket holds money on screen
            assertTrue(new BigDecimal((String) lateShown.get("aging." + bucket)).signum() > 0, "on screen: late payer's " + bucket);
        }
        assertTrue(new BigDecimal((String) fieldsOf("#receivables-table tbody tr[data-partner='" + seeded.overpayer() + "']")
                .get("unallocated")).signum() > 0, "on screen: overpayer's credit");
        awaitTrue("document.querySelector('#aging-chart').dataset.state === 'ready'");
        screenshot("receivables.png");
    }

    @Test
    @Order(2)
    void reconciliationOfTheDemoShowsTheShortHourAndItsEntries() throws Exception {
        String partner = seeded.reconciledPartner();
        Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
        Instant from = to.minus(3, ChronoUnit.DAYS);
        JsonNode controls = get(ingest.baseUrl() + "/api/v1/partners/" + partner + "/controls?from=" + from + "&to=" + to);
        JsonNode shortControl = null;
        for (JsonNode c : controls) {
            if (c.get("controlId").asText().equals(seeded.shortControlId())) {
                shortControl = c;
            }
        }
        assertNotNull(shortControl, "the demo's SHORT control among " + controls.size());
        assertEquals("SHORT", shortControl.get("status").asText());

        open("token=" + finance + "&view=reconciliation&partner=" + partner);
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready'");
        js("document.getElementById('recon-from').value = arguments[0]; document.getElementById('recon-to').value = arguments[1];"
                + " document.getElementById('recon-to').dispatchEvent(new Event('change'));",
                from.toString().substring(0, 10), to.toString().substring(0, 10));
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready' "
                + "&& document.querySelector('#reconciliation').dataset.from === '" + from.toString().replace(".000", "") + "'");
        assertTrue(seeded.healedObservedShort() && seeded.healedMatched(), "the healed hour was SHORT, then MATCHED");
        JsonNode healedControl = null;
        for (JsonNode c : controls) {
            if (c.get("controlId").asText().equals(seeded.healedControlId())) {
                healedControl = c;
            }
        }
        assertNotNull(healedControl, "the demo's healed control among " + controls.size());
        assertEquals("MATCHED", healedControl.get("status").asText());
        String hour = Instant.parse(shortControl.get("from").asText()).toString();
        assertEquals("MATCHED", js("return document.querySelector(`#recon-strip .strip-hour[data-hour='${arguments[0]}']`).dataset.status",
                Instant.parse(healedControl.get("from").asText()).toString()), "the healed hour on the strip");
        assertEquals("SHORT", js("return document.querySelector(`#recon-strip .strip-hour[data-hour='${arguments[0]}']`).dataset.status",
                hour));
        browser.driver().findElement(By.cssSelector("#recon-strip .strip-hour[data-hour='" + hour + "']")).click();
        awaitTrue("document.querySelector('#control').dataset.state === 'ready'");
        Map<String, Object> count = fieldsOf("#control-table tr[data-figure='eventCount']");
        for (String part : List.of("reported", "received", "difference")) {
            assertEquals(shortControl.get(part).get("eventCount").asText(), count.get(part), "eventCount " + part);
        }
        browser.driver().findElement(By.id("control-entries")).click();
        awaitTrue("document.querySelector('#hour-entries').dataset.state === 'ready'");
        assertEquals(shortControl.get("received").get("eventCount").asText(),
                js("return document.getElementById('hour-entries-foot').dataset.bookedEvents"), "booked = received");
        js("document.getElementById('reconciliation').scrollIntoView({block: 'start'})");
        screenshot("reconciliation.png");
    }

    @Test
    @Order(3)
    void auditLogOfTheDemoIsTheLedgersPageByPage() throws Exception {
        List<String> want = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(ledger.baseUrl() + "/api/v1/audit?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("records").forEach(r -> want.add(r.get("at").asText() + " " + r.get("action").asText()));
            cursor = page.get("nextCursor").isNull() ? null : java.net.URLEncoder.encode(page.get("nextCursor").asText(),
                    java.nio.charset.StandardCharsets.UTF_8);
        } while (cursor != null);
        for (String action : List.of("PARTNER_CREATED", "AGREEMENT_ADDED", "PERIOD_CLOSED", "ADJUSTMENT_POSTED",
                "PAYMENT_RECORDED")) { // what the demo did, as the ledger audited it
            assertTrue(want.stream().anyMatch(r -> r.endsWith(" " + action)), action + " is audited");
        }
        open("token=" + finance + "&view=audit");
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready'");
        for (int clicks = 0; browser.driver().findElement(By.id("audit-more")).isDisplayed(); clicks++) {
            assertTrue(clicks < 50, "too many pages");
            long before = (Long) js("return document.querySelectorAll('#audit-table tbody tr[data-action]').length");
            browser.driver().findElement(By.id("audit-more")).click();
            awaitTrue("document.querySelector('#audit').dataset.state === 'ready' "
                    + "&& document.querySelectorAll('#audit-table tbody tr[data-action]').length > " + before);
        }
        assertEquals(want, js("return [...document.querySelectorAll('#audit-table tbody tr[data-action]')]"
                + ".map((tr) => tr.querySelector(\"[data-field='at']\").dataset.value + ' ' + tr.dataset.action)"));
        js("document.getElementById('audit-action').value = 'PAYMENT_RECORDED'; document.getElementById('audit-action')"
                + ".dispatchEvent(new Event('change'));");
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready' "
                + "&& [...document.querySelectorAll('#audit-table tbody tr[data-action]')].every((tr) => tr.dataset.action === 'PAYMENT_RECORDED')");
        screenshot("audit.png");
    }

    @Test
    @Order(4)
    void statementProofOfAClosedMonthAgreesWithTheLedgersReplay() throws Exception {
        String partner = seeded.reratedPartner();
        String period = seeded.currentMonth().minusMonths(1).toString();
        JsonNode statement = get(reporting.baseUrl() + "/api/v1/reports/partners/" + partner + "/statements/" + period);
        JsonNode proof = get(ledger.baseUrl() + "/api/v1/partners/" + partner + "/periods/" + period + "/proof");
        assertEquals(proof.get("sha256").asText(), statement.get("proof").get("sha256").asText(), "reporting = ledger");
        assertTrue(proof.get("replayMatches").asBoolean(), "the ledger's replay matches");
        open("token=" + finance + "&period=" + period + "&partner=" + partner);
        awaitTrue("document.querySelector('#statement-proof').dataset.state === 'ready' "
                + "&& document.querySelector('#statement').dataset.partner === '" + partner + "'");
        assertEquals(proof.get("sha256").asText(), js("return document.getElementById('proof-ledger-sha256').dataset.value"));
        assertEquals("true", js("return document.getElementById('proof-replay').dataset.value"));
        assertEquals("true", js("return document.getElementById('proof-agree').dataset.value"));
        assertEquals(statement.get("settlement").get("outstanding").asText(),
                fieldsOf("#statement-settlement").get("outstanding"));
        js("document.getElementById('statement-proof').scrollIntoView({block: 'center'})");
        screenshot("proof.png");
        open("token=" + finance + "&period=" + period);
        awaitTrue("document.querySelector('#partners').dataset.state === 'ready'");
        awaitTrue("document.querySelector('#revenue-chart').dataset.state === 'ready'");
        js("window.scrollTo(0, 0)");
        screenshot("dashboard.png"); // the overview: / forwards to /dashboard/
    }

    // ------------------------------------------------------------------ helpers

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + finance).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url + ": " + new String(response.body()));
        return JSON.readTree(response.body());
    }

    private static void open(String fragment) {
        browser.open(reporting.baseUrl() + "/dashboard/#" + fragment);
    }

    private static Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    private static void awaitTrue(String condition) {
        browser.awaitTrue(condition);
    }

    private static Map<String, Object> fieldsOf(String selector) {
        return browser.values(selector);
    }

    /** Into target/browser-test-demo; with -Dscreenshots=true into docs/screenshots (the demo data). */
    private static void screenshot(String name) throws IOException {
        byte[] png = browser.screenshot();
        Files.write(WORK.resolve(name), png);
        if (Boolean.getBoolean("screenshots")) {
            Path docs = ProjectFiles.root().resolve("docs/screenshots");
            Files.createDirectories(docs);
            Files.write(docs.resolve(name), png);
        }
    }
}
