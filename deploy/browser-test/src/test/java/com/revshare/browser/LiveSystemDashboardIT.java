package com.revshare.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.ServiceProcess;

/**
 * The finance views (issue 13) over the real system: ingest, ledger and reporting from their built
 * jars on the real broker and PostgreSQL, the ledger and ingest allowing reporting's origin by CORS
 * (as {@code REVSHARE_DASHBOARD_ORIGINS} does), fed only through their public APIs: partners and
 * agreements, usage and control events over ingest's HTTP API, closes, payments and an adjustment.
 * Every figure of the receivables, reconciliation, audit and proof views is compared with the real
 * API that serves it, and the ledger's replay must match. Runs in its own JVM (failsafe does not
 * reuse forks), hence on its own broker and databases.
 */
@ExtendWith(ChromiumAvailable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveSystemDashboardIT {
    private static final Path WORK = Path.of("target", "browser-test-live").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(180);
    /** Partners: one pays its oldest month, one overpays, one pays nothing. */
    private static final List<String> PARTNERS = List.of("live-payer", "live-overpayer", "live-debtor");
    private static final String RECONCILED = "live-payer";
    private static final int MONTHS = 4;
    private static final int EVENTS_PER_MONTH = 12;
    private static final String[] MODELS = {"llama-3.1-8b-instruct", "llama-3.1-70b-instruct"};
    private static final String[] METRICS = {"input_tokens", "output_tokens", "requests"};

    private static Infrastructure infra;
    private static ServiceProcess ingest;
    private static ServiceProcess ledger;
    private static ServiceProcess reporting;
    private static LiveSystem system;
    private static BrowserSession browser;
    private static String admin;
    private static String finance;
    private static YearMonth current;
    private static Instant controlDay;

    @BeforeAll
    static void startTheSystemAndFeedItThroughItsApis() throws Exception {
        Chromium chromium = BrowserSession.requireChromiumAndFreshWork(WORK);
        infra = Infrastructure.shared();
        system = LiveSystem.start(infra, "live", WORK.resolve("logs"));
        ingest = system.ingest();
        ledger = system.ledger();
        reporting = system.reporting();
        admin = infra.jwt().admin(Duration.ofHours(2));
        finance = infra.jwt().finance(Duration.ofHours(2));
        seed();
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

    /** Partners, agreements, events, controls, closes, payments and an adjustment, all through the public APIs. */
    private static void seed() throws Exception {
        Instant now = Instant.now();
        current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        YearMonth first = current.minusMonths(MONTHS - 1L);
        Instant effectiveFrom = first.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        for (String p : PARTNERS) {
            expect(send("PUT", ledger.baseUrl() + "/api/v1/partners/" + p, admin,
                    "{\"name\":\"" + p + "\",\"currency\":\"USD\",\"paymentTermsDays\":30}"), 201);
            expect(send("POST", ledger.baseUrl() + "/api/v1/partners/" + p + "/agreements", admin,
                    "{\"effectiveFrom\":\"" + effectiveFrom + "\",\"currency\":\"USD\",\"monthlyMinimum\":\"0.00\","
                            + "\"monthlyCap\":null,\"rules\":[{\"id\":\"rev\",\"model\":\"*\",\"metric\":\"*\","
                            + "\"type\":\"PERCENT_OF_REVENUE\",\"rate\":\"0.15\"}]}"), 201);
        }
        // control hours: the first six hours of the second day of the previous month (closed later, so booked as USAGE)
        controlDay = current.minusMonths(1).atDay(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        Random random = new Random(20261203L);
        Map<String, Integer> sent = new LinkedHashMap<>();
        for (String p : PARTNERS) {
            ArrayNode batch = JSON.createArrayNode();
            for (int m = 0; m < MONTHS; m++) {
                YearMonth month = first.plusMonths(m);
                for (int i = 0; i < EVENTS_PER_MONTH; i++) {
                    Instant time = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                            .plusSeconds(random.nextInt(month.lengthOfMonth() * 86_400));
                    if (time.isAfter(now.minusSeconds(3600))) {
                        time = now.minusSeconds(3600 + random.nextInt(3600));
                    }
                    batch.add(usage(p, p + "-" + month + "-" + i, time, random));
                }
            }
            if (p.equals(RECONCILED)) {
                for (int h = 0; h < 6; h++) {
                    for (int i = 0; i <= h % 3; i++) {
                        batch.add(usage(p, p + "-hour-" + h + "-" + i, controlDay.plus(h, ChronoUnit.HOURS)
                                .plusSeconds(60 + 600L * i), random));
                    }
                }
            }
            sent.put(p, batch.size());
            post(p, batch);
        }
        // what the partner says it sent per hour: hour 1 two more (SHORT), hour 3 one fewer (OVER), hour 4 5 tokens more (MISMATCH)
        await("ingest counts every event").atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> get(ingest.baseUrl() + "/api/v1/partners/" + RECONCILED + "/intake").get("accepted").asLong()
                        == sent.get(RECONCILED));
        JsonNode received = get(ingest.baseUrl() + "/api/v1/partners/" + RECONCILED + "/controls?from=" + controlDay
                + "&to=" + controlDay.plus(6, ChronoUnit.HOURS));
        assertEquals(0, received.size(), "no control yet");
        ArrayNode controls = JSON.createArrayNode();
        for (int h = 0; h < 6; h++) {
            Instant from = controlDay.plus(h, ChronoUnit.HOURS);
            Map<String, Long> quantities = new LinkedHashMap<>();
            BigDecimal revenue = BigDecimal.ZERO;
            long count = 0;
            // recomputed from what was sent (the same seeded stream): read back from the events batch
            for (JsonNode e : eventsOfHour(from)) {
                count++;
                quantities.merge(e.get("data").get("metric").asText(), e.get("data").get("quantity").asLong(), Long::sum);
                revenue = revenue.add(new BigDecimal(e.get("data").get("revenue").get("amount").asText()));
            }
            if (h == 1) {
                count += 2;
            } else if (h == 3) {
                count -= 1;
            } else if (h == 4) {
                quantities.merge("input_tokens", 5L, Long::sum);
            }
            ObjectNode data = JSON.createObjectNode().put("from", from.toString())
                    .put("to", from.plus(1, ChronoUnit.HOURS).toString()).put("eventCount", count);
            ObjectNode q = data.putObject("quantities");
            quantities.forEach((metric, n) -> q.put(metric, String.valueOf(n)));
            data.putObject("revenue").put("USD", revenue.toPlainString());
            controls.add(envelope(RECONCILED, RECONCILED + "-ctl-" + h, "revshare.control.v1",
                    from.plus(65, ChronoUnit.MINUTES), data));
        }
        post(RECONCILED, controls);

        for (String p : PARTNERS) {
            await(p + " booked by the ledger").atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> get(ledger.baseUrl() + "/api/v1/partners/" + p + "/balance").get("ingestSequence").asLong()
                            == sent.get(p));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, List<BigDecimal>> due = new LinkedHashMap<>();
        for (String p : PARTNERS) {
            for (int m = 0; m < MONTHS - 1; m++) {
                JsonNode closed = json(expect(send("POST", ledger.baseUrl() + "/api/v1/partners/" + p + "/periods/"
                        + first.plusMonths(m) + "/close", admin, ""), 200));
                due.computeIfAbsent(p, k -> new ArrayList<>()).add(new BigDecimal(closed.get("amountDue").asText()));
            }
        }
        payment("live-payer", "lp-1", due.get("live-payer").get(0), today.minusDays(10), "SWIFT 1");
        BigDecimal all = due.get("live-overpayer").stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        payment("live-overpayer", "lo-1", all.add(new BigDecimal("250.00")), today.minusDays(3), "prepayment");
        expect(send("POST", ledger.baseUrl() + "/api/v1/partners/live-debtor/adjustments", admin,
                "{\"period\":\"" + current + "\",\"amount\":\"-12.50000000\",\"memo\":\"service credit\"}"), 201);
        for (String p : PARTNERS) {
            long last = get(ledger.baseUrl() + "/api/v1/partners/" + p + "/balance").get("lastSequence").asLong();
            await(p + " applied by reporting").atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        for (JsonNode f : get(reporting.baseUrl() + "/api/v1/reports/freshness")) {
                            if (f.get("partnerId").asText().equals(p)) {
                                return f.get("sequence").asLong() == last;
                            }
                        }
                        return false;
                    });
        }
    }

    private static final List<JsonNode> SENT = new ArrayList<>();

    private static List<JsonNode> eventsOfHour(Instant from) {
        Instant to = from.plus(1, ChronoUnit.HOURS);
        return SENT.stream().filter(e -> e.get("partnerid").asText().equals(RECONCILED)
                && e.get("type").asText().equals("revshare.usage.v1")).filter(e -> {
                    Instant t = Instant.parse(e.get("time").asText());
                    return !t.isBefore(from) && t.isBefore(to);
                }).toList();
    }

    private static ObjectNode usage(String partner, String id, Instant time, Random random) {
        String metric = METRICS[random.nextInt(METRICS.length)];
        ObjectNode data = JSON.createObjectNode().put("model", MODELS[random.nextInt(MODELS.length)]).put("metric", metric)
                .put("quantity", "requests".equals(metric) ? 1 + random.nextInt(50) : 1000 + random.nextInt(900_000));
        data.putObject("revenue").put("amount", BigDecimal.valueOf(100 + random.nextInt(5_000_000), 4).toPlainString())
                .put("currency", "USD");
        return envelope(partner, id, "revshare.usage.v1", time, data);
    }

    private static ObjectNode envelope(String partner, String id, String type, Instant time, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id).put("source", "partners/" + partner)
                .put("type", type).put("time", time.toString()).put("partnerid", partner)
                .put("datacontenttype", "application/json");
        event.set("data", data);
        SENT.add(event);
        return event;
    }

    private static void post(String partner, ArrayNode batch) throws Exception {
        String token = infra.jwt().partner(partner, Duration.ofHours(2));
        // ingest knows a partner within seconds of its registration: until then its events are UNKNOWN_PARTNER
        await(partner + "'s batch accepted").atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ingest.baseUrl() + "/api/v1/usage-events"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/cloudevents-batch+json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            JsonNode rejected = answer.get("rejected");
            if (rejected.size() > 0 && !rejected.get(0).get("reason").asText().equals("UNKNOWN_PARTNER")) {
                fail("rejected: " + rejected);
            }
            return answer.get("accepted").asInt() + answer.get("duplicates").asInt() == batch.size();
        });
    }

    private static void payment(String partner, String id, BigDecimal amount, LocalDate receivedOn, String reference)
            throws Exception {
        expect(send("POST", ledger.baseUrl() + "/api/v1/partners/" + partner + "/payments", finance,
                "{\"paymentId\":\"" + id + "\",\"amount\":\"" + amount.setScale(2).toPlainString() + "\",\"currency\":\"USD\","
                        + "\"receivedOn\":\"" + receivedOn + "\",\"reference\":\"" + reference + "\"}"), 201);
    }

    // ------------------------------------------------------------------ the views against the real APIs

    @Test
    @Order(1)
    void receivablesShowTheReportingApisFigures() throws Exception {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        get(reporting.baseUrl() + "/api/v1/reports/receivables?asOf=" + today).forEach(r -> rows.put(r.get("partnerId").asText(), r));
        assertEquals(PARTNERS.stream().sorted().toList(), rows.keySet().stream().sorted().toList());
        assertTrue(new BigDecimal(rows.get("live-overpayer").get("unallocated").asText()).signum() > 0, "overpaid");
        assertTrue(new BigDecimal(rows.get("live-debtor").get("paid").asText()).signum() == 0, "nothing paid");
        open("token=" + finance + "&view=receivables");
        awaitTrue("document.querySelector('#receivables').dataset.state === 'ready' "
                + "&& document.querySelector('#receivables').dataset.asOf === '" + today + "'");
        for (JsonNode row : rows.values()) {
            String partner = row.get("partnerId").asText();
            Map<String, Object> shown = fieldsOf("#receivables-table tbody tr[data-partner='" + partner + "']");
            for (String field : List.of("billed", "paid", "outstanding", "unallocated")) {
                assertEquals(row.get(field).asText(), shown.get(field), partner + " " + field);
            }
            row.get("aging").fields().forEachRemaining(b -> assertEquals(b.getValue().asText(), shown.get("aging." + b.getKey()),
                    partner + " aging " + b.getKey()));
        }
    }

    @Test
    @Order(2)
    void reconciliationShowsIngestsControlsAndTheHoursEntries() throws Exception {
        Instant to = controlDay.plus(1, ChronoUnit.DAYS);
        JsonNode controls = get(ingest.baseUrl() + "/api/v1/partners/" + RECONCILED + "/controls?from=" + controlDay + "&to=" + to);
        assertEquals(6, controls.size());
        List<String> statuses = new ArrayList<>();
        controls.forEach(c -> statuses.add(c.get("status").asText()));
        assertEquals(List.of("MATCHED", "SHORT", "MATCHED", "OVER", "MISMATCH", "MATCHED"), statuses, "ingest's verdicts");

        open("token=" + finance + "&view=reconciliation&partner=" + RECONCILED);
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready'");
        String day = controlDay.toString().substring(0, 10);
        js("document.getElementById('recon-from').value = arguments[0]; document.getElementById('recon-to').value = arguments[1];"
                + " document.getElementById('recon-to').dispatchEvent(new Event('change'));", day, to.toString().substring(0, 10));
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready' "
                + "&& document.querySelector('#reconciliation').dataset.from === '" + controlDay + "'");
        for (JsonNode c : controls) {
            assertEquals(c.get("status").asText(), js("return document.querySelector(`#recon-strip .strip-hour[data-hour='${arguments[0]}']`)"
                    + ".dataset.status", c.get("from").asText()), "hour " + c.get("from").asText());
        }
        for (JsonNode c : controls) {
            click(By.cssSelector("#recon-strip .strip-hour[data-hour='" + c.get("from").asText() + "']"));
            awaitTrue("document.querySelector('#control').dataset.state === 'ready' "
                    + "&& document.querySelector('#control').dataset.control === '" + c.get("controlId").asText() + "'");
            Map<String, String> figures = new LinkedHashMap<>();
            figures.put("eventCount", "/eventCount");
            for (String m : METRICS) {
                figures.put("quantities." + m, "/quantities/" + m);
            }
            figures.put("revenue.USD", "/revenue/USD");
            for (Map.Entry<String, String> f : figures.entrySet()) {
                Map<String, Object> row = fieldsOf("#control-table tr[data-figure='" + f.getKey() + "']");
                for (String part : List.of("reported", "received", "difference")) {
                    assertEquals(c.get(part).at(f.getValue()).asText(), row.get(part), c.get("controlId").asText() + " "
                            + f.getKey() + " " + part);
                }
            }
            click(By.id("control-entries"));
            awaitTrue("document.querySelector('#hour-entries').dataset.state === 'ready' "
                    + "&& document.querySelector('#hour-entries').dataset.control === '" + c.get("controlId").asText() + "'");
            assertEquals(c.get("received").get("eventCount").asText(),
                    js("return document.getElementById('hour-entries-foot').dataset.bookedEvents"),
                    "the ledger booked every event ingest received in " + c.get("from").asText());
        }
    }

    @Test
    @Order(3)
    void auditLogIsTheLedgersRecordByRecord() throws Exception {
        List<String> want = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(ledger.baseUrl() + "/api/v1/audit?limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.get("records").forEach(r -> want.add(r.get("at").asText() + " " + r.get("action").asText() + " "
                    + r.get("subject").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertTrue(want.stream().anyMatch(r -> r.contains(" PAYMENT_RECORDED ")), "payments are audited: " + want);
        open("token=" + finance + "&view=audit");
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready'");
        for (int clicks = 0; browser.driver().findElement(By.id("audit-more")).isDisplayed(); clicks++) {
            assertTrue(clicks < 20, "too many pages");
            click(By.id("audit-more"));
            awaitTrue("document.querySelector('#audit').dataset.state === 'ready'");
        }
        assertEquals(want, js("return [...document.querySelectorAll('#audit-table tbody tr[data-action]')].map((tr) =>"
                + " tr.querySelector(\"[data-field='at']\").dataset.value + ' ' + tr.dataset.action + ' '"
                + " + tr.querySelector(\"[data-field='subject']\").textContent)"), "every record of the ledger, in its order");
        js("document.getElementById('audit-action').value = 'PAYMENT_RECORDED';"
                + " document.getElementById('audit-action').dispatchEvent(new Event('change'));");
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready' && JSON.parse(document.querySelector('#audit')"
                + ".dataset.filters).action === 'PAYMENT_RECORDED'");
        assertEquals(want.stream().filter(r -> r.contains(" PAYMENT_RECORDED ")).count(),
                (Long) js("return document.querySelectorAll('#audit-table tbody tr[data-action]').length"), "the payments");
    }

    @Test
    @Order(4)
    void statementProofAgreesWithTheLedgersProofAndReplay() throws Exception {
        String period = current.minusMonths(1).toString();
        for (String partner : PARTNERS) {
            JsonNode proof = get(ledger.baseUrl() + "/api/v1/partners/" + partner + "/periods/" + period + "/proof");
            assertTrue(proof.get("replayMatches").asBoolean(), partner + ": the ledger's replay matches");
            JsonNode statement = get(reporting.baseUrl() + "/api/v1/reports/partners/" + partner + "/statements/" + period);
            assertEquals(proof.get("sha256").asText(), statement.get("proof").get("sha256").asText(), partner + ": reporting = ledger");
            open("token=" + finance + "&period=" + period + "&partner=" + partner);
            awaitTrue("(() => { const s = document.querySelector('#statement').dataset; return s.state === 'ready' && s.partner === '"
                    + partner + "' && s.period === '" + period + "'; })() && document.querySelector('#statement-proof').dataset.state === 'ready'");
            assertEquals(proof.get("sha256").asText(), js("return document.getElementById('proof-ledger-sha256').dataset.value"));
            assertEquals(statement.get("proof").get("sha256").asText(), js("return document.getElementById('proof-sha256').dataset.value"));
            assertEquals("true", js("return document.getElementById('proof-replay').dataset.value"), partner + " replay shown");
            assertEquals("true", js("return document.getElementById('proof-agree').dataset.value"), partner + " agree shown");
            JsonNode settlement = statement.get("settlement");
            assertNotNull(settlement);
            Map<String, Object> shown = fieldsOf("#statement-settlement");
            assertEquals(settlement.get("allocated").asText(), shown.get("allocated"), partner + " allocated");
            assertEquals(settlement.get("outstanding").asText(), shown.get("outstanding"), partner + " outstanding");
            assertEquals(settlement.get("dueOn").asText(), js("return document.getElementById('settlement-due-on').dataset.value"));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> send(String method, String url, String token, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.request().uri() + ": "
                + response.body());
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        return json(expect(send("GET", url, finance, ""), 200));
    }

    private static void open(String fragment) {
        browser.open(reporting.baseUrl() + "/dashboard/#" + fragment);
    }

    private static Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    private static void click(By by) {
        browser.click(by);
    }

    private static void awaitTrue(String condition) {
        browser.awaitTrue(condition);
    }

    private static Map<String, Object> fieldsOf(String selector) {
        return browser.values(selector);
    }
}
