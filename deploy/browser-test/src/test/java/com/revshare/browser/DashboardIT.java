package com.revshare.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.JwtKeys;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * The finance dashboard in a real browser (issue 6): reporting-service runs from its built jar on
 * a real broker and PostgreSQL, fed the known ledger entries of {@link LedgerFixture}; Debian's
 * Chromium, driven by Selenium through chromedriver, picks a period, reads the partner table,
 * every statement, the entries behind a line (paged), downloads the CSV and photographs the
 * charts. Every figure on screen is checked against the API's exact string, and the API's
 * figures against sums computed here from the entries published.
 */
@ExtendWith(ChromiumAvailable.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final Path WORK = Path.of("target", "browser-test").toAbsolutePath();
    private static final Path DOWNLOADS = WORK.resolve("downloads");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> MONEY_FIELDS = List.of("usageAmount", "adjustmentsAmount", "total", "amountDue");

    /** Reads the fields of the elements under a root: text, exact value, negative class, currency. */
    private static final String READ_FIELDS_JS = """
            window.__fields = (root) => Object.fromEntries([...root.querySelectorAll('[data-field]')].map((n) => [
              n.dataset.field,
              { text: n.textContent.trim(), value: n.dataset.value ?? null,
                negative: n.classList.contains('negative'), currency: n.dataset.currency ?? null }]));
            """;

    private static Infrastructure infra;
    private static ServiceProcess reporting;
    private static PeerApis peers;
    private static LedgerFixture fixture;
    private static BrowserSession browser;
    private static ChromeDriver driver;
    private static String finance;
    private static String picked;

    @BeforeAll
    static void startReportingAndBrowser() throws Exception {
        Chromium chromium = BrowserSession.requireChromium();
        Chromium.deleteTree(WORK);
        Files.createDirectories(WORK);
        infra = Infrastructure.shared();
        fixture = LedgerFixture.build(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        picked = fixture.picked().toString();
        int port = Ports.free();
        peers = new PeerApis(JSON, fixture, "http://127.0.0.1:" + port);
        Map<String, String> props = Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", infra.createDatabase("browser_reporting"),
                "quarkus.datasource.username", infra.pgUser(),
                "quarkus.datasource.password", infra.pgPassword(),
                "mp.jwt.verify.publickey.location", infra.jwt().publicKeyPath().toString(),
                "revshare.dashboard.ledger-url", peers.ledgerUrl(),
                "revshare.dashboard.ingest-url", peers.ingestUrl());
        reporting = ServiceProcess.start("reporting-service", port, props,
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), WORK.resolve("logs"));
        publish();
        reporting.awaitReady(Duration.ofSeconds(90));
        finance = infra.jwt().finance(Duration.ofHours(1));
        await("reporting applied every published entry (freshness)").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    Map<String, Long> applied = new HashMap<>();
                    api("/freshness").forEach(f -> applied.put(f.get("partnerId").asText(), f.get("sequence").asLong()));
                    return LedgerFixture.PARTNERS.stream()
                            .allMatch(p -> applied.getOrDefault(p.id(), 0L) == fixture.lastSequence(p.id()));
                });
        browser = BrowserSession.start(chromium, WORK, DOWNLOADS, 1800, Duration.ofSeconds(20), UI_TIMEOUT);
        driver = browser.driver();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (reporting != null) {
            reporting.stop();
        }
        if (peers != null) {
            peers.close();
        }
    }

    @AfterEach
    void noScriptErrors() {
        if (driver == null) {
            return;
        }
        List<String> uncaught = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage).filter(m -> m.contains("Uncaught")).toList();
        assertEquals(List.of(), uncaught, "uncaught script errors in the page");
    }

    /** The partner records (partner.v1) and the ledger entries (ledger-entry.v1), each validated against its schema. */
    private static void publish() throws IOException {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (LedgerFixture.Partner p : LedgerFixture.PARTNERS) {
                String json = JSON.writeValueAsString(Map.of("partnerId", p.id(), "name", p.name(),
                        "currency", p.currency(), "status", "ACTIVE"));
                ContractSchemas.assertValid("partner.v1.schema.json", json);
                producer.send(new ProducerRecord<>(Topics.PARTNERS, p.id(), json));
            }
            producer.flush();
            for (LedgerFixture.Entry entry : fixture.entries()) {
                String json = JSON.writeValueAsString(entry.toJson());
                ContractSchemas.assertValid("ledger-entry.v1.schema.json", json);
                producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES, entry.partnerId(), json));
            }
            producer.flush();
        }
    }

    // ------------------------------------------------------------------ the API's figures are the entries'

    @Test
    @Order(1)
    void reportApiFiguresEqualSumsOfThePublishedEntries() throws Exception {
        for (YearMonth month : List.of(fixture.picked(), fixture.current())) {
            String period = month.toString();
            Map<String, LedgerFixture.Row> expected = fixture.overview(period);
            Map<String, JsonNode> rows = byPartner(api("/periods/" + period));
            assertEquals(expected.keySet(), rows.keySet(), "overview partners of " + period);
            for (LedgerFixture.Row row : expected.values()) {
                JsonNode actual = rows.get(row.partnerId());
                String where = row.partnerId() + " " + period;
                assertEquals(row.status(), actual.get("status").asText(), where + " status");
                assertEquals(row.currency(), actual.get("currency").asText(), where + " currency");
                assertMoney(row.usageAmount(), actual.get("usageAmount"), where + " usageAmount");
                assertMoney(row.adjustmentsAmount(), actual.get("adjustmentsAmount"), where + " adjustmentsAmount");
                assertMoney(row.total(), actual.get("total"), where + " total");
                assertMoney(row.amountDue(), actual.get("amountDue"), where + " amountDue");
                assertEquals(row.eventCount(), actual.get("eventCount").asLong(), where + " eventCount");

                JsonNode statement = api("/partners/" + row.partnerId() + "/statements/" + period);
                Map<String, LedgerFixture.Line> lines = fixture.lines(row.partnerId(), period);
                assertEquals(lines.size(), statement.get("lines").size(), where + " line count");
                for (JsonNode line : statement.get("lines")) {
                    LedgerFixture.Line want = lines.get(line.get("model").asText() + "|" + line.get("metric").asText());
                    assertNotNull(want, where + " unexpected line " + line);
                    assertEquals(want.quantity(), line.get("quantity").asLong(), where + " quantity " + line);
                    assertMoney(want.revenue(), line.get("revenue"), where + " revenue " + line);
                    assertMoney(want.amount(), line.get("amount"), where + " amount " + line);
                }
                Map<String, BigDecimal> adjustments = new TreeMap<>();
                statement.get("adjustments").forEach(a -> adjustments.put(a.get("kind").asText(), decimal(a.get("amount"))));
                assertEquals(fixture.adjustments(row.partnerId(), period).keySet(), adjustments.keySet(), where + " kinds");
                fixture.adjustments(row.partnerId(), period).forEach((kind, amount) -> assertEquals(0,
                        amount.compareTo(adjustments.get(kind)), where + " " + kind));
                assertMoney(row.total(), statement.get("total"), where + " statement total");
                assertMoney(row.amountDue(), statement.get("amountDue"), where + " statement amountDue");
            }
        }
        YearMonth to = fixture.picked();
        YearMonth from = to.minusMonths(11);
        Map<String, Map<String, BigDecimal>> want = fixture.summaryByPartnerAndPeriod(from, to);
        Map<String, Map<String, BigDecimal>> got = new TreeMap<>();
        api("/summary?from=" + from + "&to=" + to + "&groupBy=partner,period").forEach(r -> got
                .computeIfAbsent(r.get("partnerId").asText(), k -> new TreeMap<>())
                .merge(r.get("period").asText(), decimal(r.get("amount")), BigDecimal::add));
        assertEquals(want.keySet(), got.keySet(), "summary partners");
        want.forEach((partner, months) -> months.forEach((period, amount) -> assertEquals(0,
                amount.compareTo(got.get(partner).getOrDefault(period, BigDecimal.ONE.negate())),
                "summary " + partner + " " + period)));
    }

    // ------------------------------------------------------------------ the table

    @Test
    @Order(2)
    void pickingAPeriodShowsEveryPartnerWithTheApisFiguresRoundedAndExact() throws Exception {
        open("token=" + finance);
        String current = fixture.current().toString();
        awaitTrue("document.querySelector('#partners').dataset.state === 'ready' "
                + "&& document.querySelector('#partners').dataset.period === '" + current + "'");
        assertEquals(current, new Select(driver.findElement(By.id("period"))).getFirstSelectedOption().getAttribute("value"),
                "the dashboard opens on the current month");
        assertFalse(driver.getCurrentUrl().contains("token"), "the token left the address bar: " + driver.getCurrentUrl());
        assertEquals(finance, js("return sessionStorage.getItem('revshare.token')"), "token kept for the session");

        new Select(driver.findElement(By.id("period"))).selectByValue(picked);
        awaitTableReady(picked);
        Map<String, JsonNode> rows = byPartner(api("/periods/" + picked));

        List<Map<String, Object>> screen = tableRows();
        assertEquals(rows.keySet(), screen.stream().map(r -> (String) r.get("partner")).collect(java.util.stream.Collectors.toSet()),
                "one table row per partner of the overview");
        for (Map<String, Object> row : screen) {
            JsonNode api = rows.get((String) row.get("partner"));
            Map<String, Map<String, Object>> fields = fields(row);
            String currency = api.get("currency").asText();
            for (String field : MONEY_FIELDS) {
                assertShownMoney(api.get(field), currency, fields.get(field), false, row.get("partner") + " " + field);
            }
            assertEquals(api.get("eventCount").asText(), digits(text(fields.get("eventCount"))), row.get("partner") + " events");
            assertEquals(api.get("status").asText(), fields.get("status").get("value"), row.get("partner") + " status");
            assertEquals(currency, text(fields.get("currency")));
        }
        // the per-currency footer: exact sums of the API's rows
        for (String currency : List.of("USD", "JPY")) {
            Map<String, Map<String, Object>> foot = fieldsOf("#partners tfoot tr[data-currency='" + currency + "']");
            for (String field : MONEY_FIELDS) {
                BigDecimal sum = rows.values().stream().filter(r -> r.get("currency").asText().equals(currency))
                        .map(r -> decimal(r.get(field))).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(0, sum.compareTo(new BigDecimal((String) foot.get(field).get("value"))), currency + " footer " + field);
            }
        }
        JsonNode snowflake = rows.get("snowflake");
        assertTrue(decimal(snowflake.get("amountDue")).signum() < 0, "the fixture gives snowflake a negative amount due");

        driver.findElement(By.id("exact")).click();
        for (Map<String, Object> row : tableRows()) {
            JsonNode api = rows.get((String) row.get("partner"));
            for (String field : MONEY_FIELDS) {
                assertShownMoney(api.get(field), api.get("currency").asText(), fields(row).get(field), true,
                        row.get("partner") + " exact " + field);
            }
        }
        driver.findElement(By.id("exact")).click();
    }

    // ------------------------------------------------------------------ statements

    @Test
    @Order(3)
    void statementOfEveryPartnerShowsTheApisLinesAdjustmentsAndTotals() throws Exception {
        open("token=" + finance + "&period=" + picked);
        awaitTableReady(picked);
        Map<String, JsonNode> rows = byPartner(api("/periods/" + picked));
        for (String partner : rows.keySet()) {
            driver.findElement(By.cssSelector("#partners tr[data-partner='" + partner + "'] button")).click();
            awaitTrue("(() => { const s = document.querySelector('#statement').dataset;"
                    + " return s.state === 'ready' && s.partner === '" + partner + "' && s.period === '" + picked + "'; })()");
            JsonNode api = api("/partners/" + partner + "/statements/" + picked);
            String currency = api.get("currency").asText();
            String where = "statement " + partner + " " + picked;

            assertEquals(api.get("status").asText(), driver.findElement(By.id("statement-status")).getText(), where);
            if (!api.get("closedAt").isNull()) {
                String closedAt = api.get("closedAt").asText().substring(0, 19).replace('T', ' ');
                assertTrue(driver.findElement(By.id("statement-closed-at")).getText().contains(closedAt), where + " closedAt");
            }
            assertEquals(api.get("eventCount").asText(), digits(driver.findElement(By.id("statement-event-count")).getText()),
                    where + " eventCount");
            Map<String, Map<String, Object>> facts = fieldsOf("#statement .facts");
            assertShownMoney(api.get("total"), currency, facts.get("total"), false, where + " total");
            assertShownMoney(api.get("amountDue"), currency, facts.get("amountDue"), false, where + " amountDue");

            List<Map<String, Object>> lines = rowsOf("#statement-lines tbody tr[data-line]");
            assertEquals(api.get("lines").size(), lines.size(), where + " lines");
            for (int i = 0; i < lines.size(); i++) {
                JsonNode line = api.get("lines").get(i);
                Map<String, Map<String, Object>> cells = fields(lines.get(i));
                assertEquals(line.get("model").asText(), text(cells.get("model")), where + " line " + i);
                assertEquals(line.get("metric").asText(), text(cells.get("metric")), where + " line " + i);
                assertEquals(line.get("quantity").asText(), digits(text(cells.get("quantity"))), where + " quantity " + i);
                assertShownMoney(line.get("revenue"), currency, cells.get("revenue"), false, where + " revenue " + i);
                assertShownMoney(line.get("amount"), currency, cells.get("amount"), false, where + " amount " + i);
            }
            Map<String, Map<String, Object>> subtotal = fieldsOf("#statement-lines tfoot");
            assertEquals(0, decimal(rows.get(partner).get("usageAmount"))
                    .compareTo(new BigDecimal((String) subtotal.get("usageSubtotal").get("value"))), where + " usage subtotal");

            List<Map<String, Object>> adjustments = rowsOf("#statement-adjustments tbody tr[data-kind]");
            assertEquals(api.get("adjustments").size(), adjustments.size(), where + " adjustments");
            for (int i = 0; i < adjustments.size(); i++) {
                JsonNode adjustment = api.get("adjustments").get(i);
                assertEquals(adjustment.get("kind").asText(), adjustments.get(i).get("kind"), where + " kind " + i);
                assertShownMoney(adjustment.get("amount"), currency, fields(adjustments.get(i)).get("amount"), false,
                        where + " adjustment " + adjustment.get("kind").asText());
            }
        }
    }

    @Test
    @Order(4)
    void entriesBehindALineArePagedWithNextCursorAndAddUpToTheLine() throws Exception {
        open("token=" + finance + "&period=" + picked + "&partner=aws");
        awaitStatement("aws");
        driver.findElement(By.cssSelector("#statement-lines tr[data-model='" + LedgerFixture.PAGED_MODEL
                + "'][data-metric='" + LedgerFixture.PAGED_METRIC + "'] button.entries-link")).click();
        awaitTrue("document.querySelector('#entries').dataset.state === 'ready'");
        List<Long> want = fixture.lineSequences("aws", picked, LedgerFixture.PAGED_MODEL, LedgerFixture.PAGED_METRIC);
        List<Long> firstPage = shownSequences();
        assertTrue(firstPage.size() >= 100 && firstPage.size() < want.size(),
                "first view holds one page of the " + want.size() + " entries, got " + firstPage.size());
        assertTrue(driver.findElement(By.id("entries-more")).isDisplayed(), "more entries are offered");
        for (int clicks = 0; driver.findElement(By.id("entries-more")).isDisplayed(); clicks++) {
            assertTrue(clicks < 10, "too many pages");
            int before = shownSequences().size();
            driver.findElement(By.id("entries-more")).click();
            awaitTrue("document.querySelector('#entries').dataset.state === 'ready' "
                    + "&& document.querySelectorAll('#entries-table tbody tr[data-sequence]').length > " + before);
        }
        assertEquals(want, shownSequences(), "every entry behind the line, once, in sequence order");
        assertEquals(want, apiLineSequences("aws", picked, LedgerFixture.PAGED_MODEL, LedgerFixture.PAGED_METRIC),
                "the API pages the same entries");
        JsonNode line = null;
        for (JsonNode l : api("/partners/aws/statements/" + picked).get("lines")) {
            if (l.get("model").asText().equals(LedgerFixture.PAGED_MODEL) && l.get("metric").asText().equals(LedgerFixture.PAGED_METRIC)) {
                line = l;
            }
        }
        assertNotNull(line);
        Map<String, Map<String, Object>> foot = fieldsOf("#entries .entries-foot");
        assertEquals(0, decimal(line.get("amount")).compareTo(new BigDecimal((String) foot.get("entriesSum").get("value"))),
                "the entries add up to the line");
        assertFalse(driver.findElement(By.id("entries-message")).isDisplayed(), "no mismatch warning");
        js("document.getElementById('entries').scrollIntoView({block: 'start'})");
        screenshot("entries.png");
    }

    @Test
    @Order(5)
    void csvDownloadSavesExactlyTheApisCsv() throws Exception {
        open("token=" + finance + "&period=" + picked + "&partner=snowflake");
        awaitStatement("snowflake");
        driver.findElement(By.id("download-csv")).click();
        Path file = DOWNLOADS.resolve("statement-snowflake-" + picked + ".csv");
        await("CSV saved to " + file).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file) && Files.size(file) > 0
                        && !Files.exists(DOWNLOADS.resolve(file.getFileName() + ".crdownload")));
        byte[] expected = apiBytes("/partners/snowflake/statements/" + picked + ".csv", "text/csv");
        assertArrayEquals(expected, Files.readAllBytes(file), "the downloaded CSV is the API's, byte for byte");
        String csv = Files.readString(file);
        assertTrue(csv.startsWith("section,kind,model,metric,quantity,revenue,amount"), csv);
    }

    // ------------------------------------------------------------------ charts and screenshots

    @Test
    @Order(6)
    void revenueChartShowsTheEightDemoPartnersWithTheSummarysAmounts() throws Exception {
        open("token=" + finance + "&period=" + picked + "&partner=aws");
        awaitTableReady(picked);
        awaitTrue("document.querySelector('#revenue-chart').dataset.state === 'ready'");
        awaitTrue("document.querySelector('#daily-chart').dataset.state === 'ready' "
                + "&& document.querySelector('#daily-chart').dataset.partner === 'aws'");
        List<String> demo = LedgerFixture.DEMO_PARTNERS.stream().map(LedgerFixture.Partner::id).sorted().toList();
        assertEquals(String.join(",", demo), js("return document.querySelector('#revenue-chart').dataset.partners"),
                "the USD chart shows the eight demo partners");
        assertEquals("USD", js("return document.querySelector('#revenue-chart').dataset.currency"));
        assertTrue(driver.findElements(By.cssSelector("#revenue-currencies .chip")).stream()
                .anyMatch(c -> c.getText().equals("JPY")), "the yen partner is one click away");

        // the bars' heights are the summary's amounts (as doubles: heights only, figures stay exact strings)
        YearMonth from = fixture.picked().minusMonths(11);
        Map<String, Map<String, BigDecimal>> summary = fixture.summaryByPartnerAndPeriod(from, fixture.picked());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) js("""
                const option = echarts.getInstanceByDom(document.getElementById('revenue-chart')).getOption();
                return option.series.map((s) => ({ name: s.name, data: s.data.map(String) }));""");
        assertEquals(demo, series.stream().map(s -> (String) s.get("name")).toList());
        for (Map<String, Object> s : series) {
            @SuppressWarnings("unchecked")
            List<String> data = (List<String>) s.get("data");
            assertEquals(12, data.size());
            for (int i = 0; i < 12; i++) {
                BigDecimal want = summary.getOrDefault((String) s.get("name"), Map.of())
                        .getOrDefault(from.plusMonths(i).toString(), BigDecimal.ZERO);
                assertEquals(want.doubleValue(), Double.parseDouble(data.get(i)), 0.0, s.get("name") + " month " + i);
            }
        }
        // the daily chart's dated and undated parts add up to the statement's total
        BigDecimal dated = new BigDecimal((String) js("return document.querySelector('#daily-chart').dataset.datedTotal"));
        BigDecimal undated = new BigDecimal((String) js("return document.querySelector('#daily-chart').dataset.undatedTotal"));
        assertEquals(0, decimal(api("/partners/aws/statements/" + picked).get("total")).compareTo(dated.add(undated)),
                "daily amounts + undated adjustments = statement total");

        js("window.scrollTo(0, 0)");
        Path dashboard = screenshot("dashboard.png");
        js("document.getElementById('statement').scrollIntoView({block: 'start'})");
        Path statement = screenshot("statement.png");
        System.out.printf("[browser-test] screenshots: %s, %s%n", dashboard, statement);
    }

    // ------------------------------------------------------------------ tokens

    @Test
    @Order(7)
    void partnerTokenSeesOnlyItsOwnPartnerAndBadTokensAskForAnother() throws Exception {
        String groq = infra.jwt().partner("groq", Duration.ofHours(1));
        open("token=" + groq + "&period=" + picked + "&partner=aws");
        awaitTableReady(picked);
        assertEquals(List.of("groq"), tableRows().stream().map(r -> r.get("partner")).toList(), "only its own row");
        awaitStatement("groq");
        assertFalse(driver.getCurrentUrl().contains("token"), driver.getCurrentUrl());
        assertEquals(groq, js("return sessionStorage.getItem('revshare.token')"));
        assertTrue(driver.findElements(By.cssSelector(".message-error")).stream().noneMatch(WebElement::isDisplayed),
                "no section failed for a partner token");
        awaitTrue("document.querySelector('#revenue-chart').dataset.state === 'ready'");
        assertEquals("groq", js("return document.querySelector('#revenue-chart').dataset.partners"));

        String foreign = JwtKeys.loadOrCreate(Files.createTempDirectory(WORK, "other-key-")).finance(Duration.ofHours(1));
        open("token=" + foreign);
        awaitTrue("document.body.dataset.state === 'signed-out'");
        assertTrue(driver.findElement(By.id("token-message")).getText().contains("401"),
                driver.findElement(By.id("token-message")).getText());
        assertEquals(null, js("return sessionStorage.getItem('revshare.token')"), "a rejected token is forgotten");

        String expired = infra.jwt().finance(Duration.ofSeconds(-60));
        open("token=" + expired);
        awaitTrue("document.body.dataset.state === 'signed-out'");
        assertTrue(driver.findElement(By.id("token-message")).getText().contains("expired"));

        // pasting a token signs in
        driver.findElement(By.id("token-input")).sendKeys(finance);
        driver.findElement(By.id("token-submit")).click();
        awaitTableReady(fixture.current().toString());
        assertEquals(LedgerFixture.PARTNERS.size(), tableRows().size());
    }

    // ------------------------------------------------------------------ formatting, in the browser's own Intl

    @Test
    @Order(8)
    void moneyFormattingIsExactBeyondDoublePrecisionAndRoundsHalfEvenToTheMinorUnit() {
        open("token=" + finance);
        awaitTableReady(fixture.current().toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import(new URL('/dashboard/money.js', document.baseURI).href).then((m) => done({
                  beyondDouble: m.formatMoney('9007199254740993.01000000', 'USD').text,
                  exact: m.formatMoney('123456789012345678.12345678', 'USD', { exact: true }).text,
                  tieToEvenDown: m.formatMoney('0.12500000', 'USD').text,
                  tieToEvenUp: m.formatMoney('0.13500000', 'USD').text,
                  negativeTie: m.formatMoney('-0.12500000', 'USD').text,
                  yenTieDown: m.formatMoney('2.50000000', 'JPY').text,
                  yenTieUp: m.formatMoney('3.50000000', 'JPY').text,
                  dinar: m.formatMoney('1.23450000', 'BHD').text,
                  sum: m.toPlainString(m.sum(['0.10000000', '0.20000000', '-0.00000001'])),
                  quantity: m.formatQuantity('123456789012345678901'),
                }), (e) => done({ error: String(e) }));""");
        assertEquals(null, shown.get("error"));
        assertEquals("$9,007,199,254,740,993.01", shown.get("beyondDouble"), "2^53 + 1 is not a double");
        assertEquals("$123,456,789,012,345,678.12345678", shown.get("exact"));
        assertEquals("$0.12", shown.get("tieToEvenDown"));
        assertEquals("$0.14", shown.get("tieToEvenUp"));
        assertEquals("-$0.12", shown.get("negativeTie"));
        assertEquals("¥2", shown.get("yenTieDown"));
        assertEquals("¥4", shown.get("yenTieUp"));
        assertTrue(((String) shown.get("dinar")).endsWith("1.234"), "BHD has 3 decimals: " + shown.get("dinar"));
        assertEquals("0.29999999", shown.get("sum"));
        assertEquals("123,456,789,012,345,678,901", shown.get("quantity"));
    }

    // ------------------------------------------------------------------ finance views (issue 13), on /dashboard/

    @Test
    @Order(9)
    void configJsonIsPublicAndNamesTheLedgerAndIngestApis() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(reporting.baseUrl() + "/dashboard/config.json"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "config.json needs no token: " + response.body());
        JsonNode config = JSON.readTree(response.body());
        assertEquals(peers.ledgerUrl(), config.get("ledgerUrl").asText());
        assertEquals(peers.ingestUrl(), config.get("ingestUrl").asText());
    }

    @Test
    @Order(10)
    void receivablesViewShowsTheApisBilledPaidOutstandingAndAgingAndItsCsv() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // the API's figures are the fixture's, computed here by SPEC §3.8
        for (LocalDate asOf : List.of(today, fixture.picked().atEndOfMonth())) {
            Map<String, JsonNode> rows = byPartner(api("/receivables?asOf=" + asOf));
            Map<String, LedgerFixture.Receivable> want = fixture.receivables(asOf);
            assertEquals(want.keySet(), rows.keySet(), "receivables partners as of " + asOf);
            for (LedgerFixture.Receivable r : want.values()) {
                JsonNode row = rows.get(r.partnerId());
                String where = "receivables " + r.partnerId() + " as of " + asOf;
                assertMoney(r.billed(), row.get("billed"), where + " billed");
                assertMoney(r.paid(), row.get("paid"), where + " paid");
                assertMoney(r.outstanding(), row.get("outstanding"), where + " outstanding");
                assertMoney(r.unallocated(), row.get("unallocated"), where + " unallocated");
                r.aging().forEach((bucket, amount) -> assertMoney(amount, row.get("aging").get(bucket), where + " " + bucket));
                assertEquals(0, decimal(row.get("billed")).subtract(decimal(row.get("paid")))
                        .compareTo(decimal(row.get("outstanding")).subtract(decimal(row.get("unallocated")))),
                        where + ": billed − paid = outstanding − unallocated");
            }
        }
        assertTrue(decimal(byPartner(api("/receivables?asOf=" + today)).get("google-cloud").get("unallocated")).signum() > 0,
                "the fixture's overpaying partner has unallocated credit");

        openDashboard("token=" + finance + "&view=receivables");
        awaitTrue("document.querySelector('#receivables').dataset.state === 'ready' "
                + "&& document.querySelector('#receivables').dataset.asOf === '" + today + "'");
        assertShownReceivables(today);

        // the bars: each partner's aging buckets (heights as doubles; the figures stay exact in the table)
        awaitTrue("document.querySelector('#aging-chart').dataset.state === 'ready'");
        Map<String, JsonNode> rows = byPartner(api("/receivables?asOf=" + today));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) js("""
                const chart = echarts.getInstanceByDom(document.getElementById('aging-chart'));
                const option = chart.getOption();
                return option.series.map((s) => ({ name: s.name, data: s.data.map(String), partners: option.xAxis[0].data }));""");
        assertEquals(5, series.size(), "one stacked series per aging bucket");
        for (int b = 0; b < 5; b++) {
            @SuppressWarnings("unchecked")
            List<String> partners = (List<String>) series.get(b).get("partners");
            @SuppressWarnings("unchecked")
            List<String> data = (List<String>) series.get(b).get("data");
            assertEquals(rows.values().stream().filter(r -> r.get("currency").asText().equals("USD"))
                    .map(r -> r.get("partnerId").asText()).sorted().toList(), partners, "USD partners on the axis");
            for (int i = 0; i < partners.size(); i++) {
                String bucket = LedgerFixture.AGING_BUCKETS.get(b);
                assertEquals(decimal(rows.get(partners.get(i)).get("aging").get(bucket)).doubleValue(),
                        Double.parseDouble(data.get(i)), 0.0, partners.get(i) + " " + bucket);
            }
        }
        screenshot("receivables.png");

        // CSV of the table: the API's exact strings
        click(By.id("receivables-csv"));
        Path file = DOWNLOADS.resolve("receivables-" + today + ".csv");
        await("CSV saved to " + file).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file) && Files.size(file) > 0
                        && !Files.exists(DOWNLOADS.resolve(file.getFileName() + ".crdownload")));
        List<String> lines = Files.readAllLines(file);
        assertEquals("partnerId,currency,asOf,billed,paid,outstanding,unallocated,current,1-30,31-60,61-90,90+", lines.get(0));
        assertEquals(rows.size() + 1, lines.size(), "one CSV row per partner");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            JsonNode row = rows.get(cells[0]);
            assertNotNull(row, line);
            List<String> want = new ArrayList<>(List.of(row.get("partnerId").asText(), row.get("currency").asText(),
                    row.get("asOf").asText(), row.get("billed").asText(), row.get("paid").asText(),
                    row.get("outstanding").asText(), row.get("unallocated").asText()));
            LedgerFixture.AGING_BUCKETS.forEach(b -> want.add(row.get("aging").get(b).asText()));
            assertEquals(want, List.of(cells), "CSV row of " + cells[0]);
        }

        // another as-of date: the table follows
        LocalDate earlier = fixture.picked().atEndOfMonth();
        js("const input = document.getElementById('receivables-as-of'); input.value = arguments[0];"
                + " input.dispatchEvent(new Event('change'));", earlier.toString());
        awaitTrue("document.querySelector('#receivables').dataset.state === 'ready' "
                + "&& document.querySelector('#receivables').dataset.asOf === '" + earlier + "'");
        assertShownReceivables(earlier);
    }

    private static void assertShownReceivables(LocalDate asOf) throws Exception {
        Map<String, JsonNode> rows = byPartner(api("/receivables?asOf=" + asOf));
        List<Map<String, Object>> screen = rowsOf("#receivables-table tbody tr[data-partner]");
        assertEquals(List.copyOf(rows.keySet()), screen.stream().map(r -> (String) r.get("partner")).toList(),
                "one row per partner of the API, as of " + asOf);
        for (Map<String, Object> shown : screen) {
            JsonNode row = rows.get((String) shown.get("partner"));
            String currency = row.get("currency").asText();
            for (String field : List.of("billed", "paid", "outstanding", "unallocated")) {
                assertShownMoney(row.get(field), currency, fields(shown).get(field), false, shown.get("partner") + " " + field);
            }
            for (String bucket : LedgerFixture.AGING_BUCKETS) {
                assertShownMoney(row.get("aging").get(bucket), currency, fields(shown).get("aging." + bucket), false,
                        shown.get("partner") + " aging " + bucket);
            }
        }
        Map<String, Map<String, Object>> foot = fieldsOf("#receivables-table tfoot tr[data-currency='USD']");
        BigDecimal outstanding = rows.values().stream().filter(r -> r.get("currency").asText().equals("USD"))
                .map(r -> decimal(r.get("outstanding"))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, outstanding.compareTo(new BigDecimal((String) foot.get("outstanding").get("value"))),
                "USD outstanding total, exact");
    }

    @Test
    @Order(11)
    void reconciliationStripColoursEachHourByItsControlsAndDrillsDownToTheHoursEntries() throws Exception {
        LocalDate day = peers.controlDay();
        String from = day + "T00:00:00Z";
        String to = day.plusDays(3) + "T00:00:00Z";
        JsonNode controls = peer(peers.ingestUrl() + "/api/v1/partners/aws/controls?from=" + from + "&to=" + to);
        assertEquals(73, controls.size(), "72 hourly controls and one daily");

        openDashboard("token=" + finance + "&view=reconciliation&partner=aws");
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready'");
        assertEquals("aws", new Select(driver.findElement(By.id("recon-partner"))).getFirstSelectedOption().getAttribute("value"));
        js("document.getElementById('recon-from').value = arguments[0]; document.getElementById('recon-to').value = arguments[1];"
                + " document.getElementById('recon-to').dispatchEvent(new Event('change'));", day.toString(), day.plusDays(3).toString());
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready' "
                + "&& document.querySelector('#reconciliation').dataset.from === '" + from + "'");

        // every hour's colour: the most urgent status among the controls covering it
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cells = (List<Map<String, Object>>) js("return [...document.querySelectorAll('#recon-strip .strip-hour')]"
                + ".map((b) => ({ hour: b.dataset.hour, status: b.dataset.status, control: b.dataset.control }))");
        assertEquals(72, cells.size(), "three days of hours");
        Map<String, Integer> rank = Map.of("SHORT", 4, "MISMATCH", 3, "OVER", 2, "MATCHED", 1);
        Map<String, Integer> seen = new TreeMap<>();
        for (Map<String, Object> cell : cells) {
            Instant hour = Instant.parse((String) cell.get("hour"));
            String want = "NONE";
            for (JsonNode c : controls) {
                if (!Instant.parse(c.get("from").asText()).isAfter(hour) && Instant.parse(c.get("to").asText()).isAfter(hour)
                        && rank.get(c.get("status").asText()) > rank.getOrDefault(want, 0)) {
                    want = c.get("status").asText();
                }
            }
            assertEquals(want, cell.get("status"), "hour " + hour);
            seen.merge(want, 1, Integer::sum);
        }
        assertEquals(Set.of("MATCHED", "SHORT", "OVER", "MISMATCH"), seen.keySet(), "every status on the strip");

        // the SHORT hour: its figures are the API's
        JsonNode shortControl = null;
        for (JsonNode c : controls) {
            if (c.get("status").asText().equals("SHORT")) {
                shortControl = c;
            }
        }
        assertNotNull(shortControl);
        String controlId = shortControl.get("controlId").asText();
        click(By.cssSelector("#recon-strip .strip-hour[data-hour='" + Instant.parse(shortControl.get("from").asText()) + "']"));
        awaitTrue("document.querySelector('#control').dataset.state === 'ready' "
                + "&& document.querySelector('#control').dataset.control === '" + controlId + "'");
        assertEquals("SHORT", driver.findElement(By.id("control-status")).getText());
        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("eventCount", "eventCount");
        PeerApis.METRICS.forEach(m -> figures.put("quantities." + m, "quantities/" + m));
        figures.put("revenue.USD", "revenue/USD");
        for (Map.Entry<String, String> figure : figures.entrySet()) {
            Map<String, Map<String, Object>> row = fieldsOf("#control-table tr[data-figure='" + figure.getKey() + "']");
            for (String part : List.of("reported", "received", "difference")) {
                JsonNode value = shortControl.get(part).at("/" + figure.getValue());
                assertEquals(value.asText(), row.get(part).get("value"), controlId + " " + figure.getKey() + " " + part);
            }
        }
        assertTrue(shortControl.get("difference").get("eventCount").asLong() < 0, "fewer received than reported");

        // drill-down: the ledger entries whose event time falls in the hour
        click(By.id("control-entries"));
        awaitTrue("document.querySelector('#hour-entries').dataset.state === 'ready' "
                + "&& document.querySelector('#hour-entries').dataset.control === '" + controlId + "'");
        Instant hourFrom = Instant.parse(shortControl.get("from").asText());
        Instant hourTo = Instant.parse(shortControl.get("to").asText());
        List<Long> want = fixture.entries().stream().filter(e -> e.partnerId().equals("aws")
                        && List.of("USAGE", "LATE_USAGE", "REVERSAL").contains(e.kind())
                        && !e.eventTime().isBefore(hourFrom) && e.eventTime().isBefore(hourTo))
                .map(LedgerFixture.Entry::sequence).sorted().toList();
        @SuppressWarnings("unchecked")
        List<Long> shown = ((List<Object>) js("return [...document.querySelectorAll('#hour-entries-table tbody tr[data-sequence]')]"
                + ".map((tr) => tr.dataset.sequence)")).stream().map(x -> Long.parseLong((String) x)).toList();
        assertEquals(want, shown, "the hour's entries, in sequence order");
        assertEquals(shortControl.get("received").get("eventCount").asText(),
                js("return document.getElementById('hour-entries-foot').dataset.bookedEvents"),
                "the entries book every event ingest received in the hour");
        js("document.getElementById('reconciliation').scrollIntoView({block: 'start'})");
        screenshot("reconciliation.png");
    }

    @Test
    @Order(12)
    void auditLogPagesByCursorAndFiltersByPartnerActionAndDate() throws Exception {
        List<Map<String, Object>> all = peers.audit();
        assertTrue(all.size() > 250, "enough records for several pages: " + all.size());
        openDashboard("token=" + finance + "&view=audit");
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready'");
        assertEquals(ats(all.subList(0, 100)), shownAudit("at"), "the first page, oldest first");
        for (int clicks = 0; driver.findElement(By.id("audit-more")).isDisplayed(); clicks++) {
            assertTrue(clicks < 10, "too many pages");
            int before = shownAudit("at").size();
            click(By.id("audit-more"));
            awaitTrue("document.querySelector('#audit').dataset.state === 'ready' "
                    + "&& document.querySelectorAll('#audit-table tbody tr[data-action]').length > " + before);
        }
        assertEquals(ats(all), shownAudit("at"), "every record once, in order, through nextCursor");

        // partner (an API filter)
        filterAudit("aws", "", "", "");
        List<Map<String, Object>> aws = all.stream().filter(r -> "aws".equals(r.get("partnerId"))).toList();
        assertEquals(ats(aws), shownAudit("at"), "aws's records");
        assertEquals(aws.stream().map(r -> (String) r.get("action")).toList(), shownAudit("action"));
        assertEquals(aws.stream().map(r -> (String) r.get("subject")).toList(), shownAudit("subject"));
        js("document.getElementById('audit-table').scrollIntoView({block: 'start'})");
        screenshot("audit.png");

        // action (filtered here across pages: the API has no action parameter)
        filterAudit("", "PERIOD_CLOSED", "", "");
        List<Map<String, Object>> closes = all.stream().filter(r -> "PERIOD_CLOSED".equals(r.get("action"))).toList();
        assertEquals(ats(closes), shownAudit("at"), "every close, read across the FX-rate pages");
        assertFalse(driver.findElement(By.id("audit-more")).isDisplayed(), "all pages read");

        // dates: from inclusive, to inclusive as a day (the API's to is the next day's start, exclusive)
        LocalDate first = fixture.picked().atDay(1);
        LocalDate last = fixture.picked().atDay(10);
        filterAudit("", "", first.toString(), last.toString());
        List<Map<String, Object>> inRange = all.stream().filter(r -> {
            Instant at = Instant.parse((String) r.get("at"));
            return !at.isBefore(first.atStartOfDay().toInstant(ZoneOffset.UTC))
                    && at.isBefore(last.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        }).toList();
        assertFalse(inRange.isEmpty());
        assertEquals(ats(inRange), shownAudit("at"), "records of " + first + " … " + last);
    }

    private static void filterAudit(String partner, String action, String from, String to) {
        js("""
                document.getElementById('audit-partner').value = arguments[0];
                document.getElementById('audit-action').value = arguments[1];
                document.getElementById('audit-from').value = arguments[2];
                document.getElementById('audit-to').value = arguments[3];
                document.querySelector('#audit').dataset.state = 'stale';""", partner, action, from, to);
        click(By.id("audit-apply"));
        awaitTrue("document.querySelector('#audit').dataset.state === 'ready'");
    }

    private static List<String> ats(List<Map<String, Object>> records) {
        return records.stream().map(r -> (String) r.get("at")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownAudit(String field) {
        return (List<String>) js("return [...document.querySelectorAll('#audit-table tbody tr[data-action]')]"
                + ".map((tr) => { const c = tr.querySelector(`[data-field='${arguments[0]}']`); return c.dataset.value ?? c.textContent; })",
                field);
    }

    @Test
    @Order(13)
    void statementShowsItsProofBesideTheLedgersWithReplayAndItsSettlement() throws Exception {
        // reporting's proof of every partner's picked period is the SPEC §4.1 hash of the published entries
        for (LedgerFixture.Partner p : LedgerFixture.PARTNERS) {
            JsonNode proof = api("/partners/" + p.id() + "/statements/" + picked).get("proof");
            Map<String, Object> want = fixture.proof(p.id(), picked);
            assertEquals(want.get("sha256"), proof.get("sha256").asText(), p.id() + " proof");
            assertEquals(((Number) want.get("entryCount")).longValue(), proof.get("entryCount").asLong(), p.id() + " entryCount");
        }
        openDashboard("token=" + finance + "&period=" + picked + "&partner=aws");
        awaitStatement("aws");
        awaitTrue("document.querySelector('#statement-proof').dataset.state === 'ready'");
        JsonNode statement = api("/partners/aws/statements/" + picked);
        Map<String, Object> ledgerProof = fixture.proof("aws", picked);
        assertEquals(statement.get("proof").get("sha256").asText(), js("return document.getElementById('proof-sha256').dataset.value"));
        assertEquals(ledgerProof.get("sha256"), js("return document.getElementById('proof-ledger-sha256').dataset.value"));
        assertEquals(statement.get("proof").get("entryCount").asText(), js("return document.getElementById('proof-entry-count').dataset.value"));
        assertEquals("true", js("return document.getElementById('proof-replay').dataset.value"), "replayMatches shown");
        assertEquals("true", js("return document.getElementById('proof-agree').dataset.value"), "reporting and ledger agree");

        JsonNode settlement = statement.get("settlement");
        assertFalse(settlement.isNull(), "a CLOSED period has a settlement");
        assertEquals(settlement.get("dueOn").asText(), js("return document.getElementById('settlement-due-on').dataset.value"));
        Map<String, Map<String, Object>> facts = fieldsOf("#statement-settlement");
        assertShownMoney(settlement.get("allocated"), "USD", facts.get("allocated"), false, "settlement allocated");
        assertShownMoney(settlement.get("outstanding"), "USD", facts.get("outstanding"), false, "settlement outstanding");
        assertEquals(0, decimal(settlement.get("allocated")).add(decimal(settlement.get("outstanding")))
                .compareTo(decimal(statement.get("amountDue"))), "allocated + outstanding = amountDue");
        js("document.getElementById('statement-proof').scrollIntoView({block: 'center'})");
        screenshot("proof.png");

        // an OPEN period: no settlement yet, the proof still agrees (payments included)
        String current = fixture.current().toString();
        js("location.hash = arguments[0]", "period=" + current + "&partner=aws");
        awaitTrue("(() => { const s = document.querySelector('#statement').dataset;"
                + " return s.state === 'ready' && s.partner === 'aws' && s.period === '" + current + "'; })()");
        awaitTrue("document.querySelector('#statement-proof').dataset.state === 'ready' "
                + "&& document.getElementById('proof-ledger-sha256').dataset.value === '" + fixture.proof("aws", current).get("sha256") + "'");
        assertTrue(api("/partners/aws/statements/" + current).get("settlement").isNull());
        assertEquals("true", js("return document.getElementById('proof-agree').dataset.value"), "open period with a payment agrees");
    }

    @Test
    @Order(14)
    void partnerTokenSeesItsOwnReceivablesAndControlsAndNoAuditLog() throws Exception {
        String aws = infra.jwt().partner("aws", Duration.ofHours(1));
        openDashboard("token=" + aws + "&view=receivables");
        awaitTrue("document.querySelector('#receivables').dataset.state === 'ready'");
        assertEquals(List.of("aws"), rowsOf("#receivables-table tbody tr[data-partner]").stream()
                .map(r -> r.get("partner")).toList(), "only its own receivable");
        assertFalse(driver.findElement(By.cssSelector(".view-tab[data-view='audit']")).isDisplayed(), "no audit tab");
        click(By.cssSelector(".view-tab[data-view='reconciliation']"));
        awaitTrue("document.querySelector('#reconciliation').dataset.state === 'ready'");
        assertEquals("aws", js("return document.getElementById('recon-partner').value"));
        assertEquals(Boolean.TRUE, js("return document.getElementById('recon-partner').disabled"));
    }

    /** Clicks an element brought to the middle of the window (the sticky top bar covers the top). */
    private static void click(By by) {
        WebElement element = driver.findElement(by);
        js("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private static void openDashboard(String fragment) {
        browser.open(reporting.baseUrl() + "/dashboard/#" + fragment);
    }

    private static JsonNode peer(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + finance).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), url);
        return JSON.readTree(response.body());
    }

    // ------------------------------------------------------------------ helpers

    private static void open(String fragment) {
        browser.open(reporting.baseUrl() + "/#" + fragment);
    }

    private static Object js(String script, Object... args) {
        return browser.js(script, args);
    }

    private static void awaitTrue(String condition) {
        browser.awaitTrue(condition);
    }

    private static void awaitTableReady(String period) {
        awaitTrue("document.querySelector('#partners').dataset.state === 'ready' "
                + "&& document.querySelector('#partners').dataset.period === '" + period + "'");
    }

    private static void awaitStatement(String partner) {
        awaitTrue("(() => { const s = document.querySelector('#statement').dataset;"
                + " return s.state === 'ready' && s.partner === '" + partner + "' && s.period === '" + picked + "'; })()");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rowsOf(String selector) {
        return (List<Map<String, Object>>) js(READ_FIELDS_JS + """
                return [...document.querySelectorAll(arguments[0])].map((tr) => ({
                  partner: tr.dataset.partner ?? null, kind: tr.dataset.kind ?? null, fields: __fields(tr) }));""",
                selector);
    }

    private static List<Map<String, Object>> tableRows() {
        return rowsOf("#partners tbody tr[data-partner]");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> fieldsOf(String selector) {
        return (Map<String, Map<String, Object>>) js(READ_FIELDS_JS + "return __fields(document.querySelector(arguments[0]));",
                selector);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> fields(Map<String, Object> row) {
        return (Map<String, Map<String, Object>>) row.get("fields");
    }

    private static String text(Map<String, Object> field) {
        return (String) field.get("text");
    }

    @SuppressWarnings("unchecked")
    private static List<Long> shownSequences() {
        return ((List<Object>) js("return [...document.querySelectorAll('#entries-table tbody tr[data-sequence]')]"
                + ".map((tr) => tr.dataset.sequence)")).stream().map(s -> Long.parseLong((String) s)).toList();
    }

    /** The figure on screen: exact string in data-value, text = that value rounded (or exact), sign and class. */
    private static void assertShownMoney(JsonNode api, String currency, Map<String, Object> shown, boolean exact,
            String where) {
        assertNotNull(shown, where + ": not on screen");
        String value = api.asText();
        assertEquals(value, shown.get("value"), where + ": data-value is the API's exact string");
        String text = text(shown);
        BigDecimal exactValue = new BigDecimal(value);
        BigDecimal expected = exact ? exactValue
                : exactValue.setScale(LedgerFixture.minorUnit(currency), RoundingMode.HALF_EVEN);
        assertEquals(0, expected.compareTo(parseShown(text)), where + ": shows " + text + " for " + value);
        assertTrue(text.contains("USD".equals(currency) ? "$" : "JPY".equals(currency) ? "¥" : currency),
                where + ": currency sign in " + text);
        if ("JPY".equals(currency) && !exact) {
            assertFalse(text.contains("."), where + ": yen without decimals: " + text);
        }
        boolean negative = expected.signum() < 0;
        assertEquals(negative, text.contains("-") || text.contains("\u2212"), where + ": sign of " + text);
        assertEquals(negative, shown.get("negative"), where + ": 'negative' class on " + text);
    }

    private static BigDecimal parseShown(String text) {
        return new BigDecimal(text.replace('\u2212', '-').replaceAll("[^0-9.\\-]", ""));
    }

    private static String digits(String text) {
        String d = text.replace('\u2212', '-').replaceAll("[^0-9\\-]", "");
        return d;
    }

    private static BigDecimal decimal(JsonNode node) {
        return new BigDecimal(node.asText());
    }

    private static void assertMoney(BigDecimal expected, JsonNode actual, String where) {
        assertNotNull(actual, where + " missing");
        assertEquals(0, expected.compareTo(decimal(actual)), where + ": expected " + expected + ", API " + actual);
    }

    private static Map<String, JsonNode> byPartner(JsonNode rows) {
        Map<String, JsonNode> map = new TreeMap<>();
        rows.forEach(r -> map.put(r.get("partnerId").asText(), r));
        return map;
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        return JSON.readTree(apiBytes(path, "application/json"));
    }

    private static byte[] apiBytes(String path, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(reporting.baseUrl() + "/api/v1/reports" + path))
                .header("Authorization", "Bearer " + (finance != null ? finance : infra.jwt().finance(Duration.ofHours(1))))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), path + ": " + new String(response.body()));
        return response.body();
    }

    /** Sequences of a line's entries, read from the API by following nextCursor. */
    private static List<Long> apiLineSequences(String partner, String period, String model, String metric)
            throws IOException, InterruptedException {
        List<Long> sequences = new ArrayList<>();
        Predicate<JsonNode> onLine = e -> (e.get("kind").asText().equals("USAGE") || e.get("kind").asText().equals("REVERSAL"))
                && model.equals(e.get("model").asText()) && metric.equals(e.get("metric").asText());
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            JsonNode page = api("/partners/" + partner + "/entries?period=" + period + "&limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8)));
            page.get("entries").forEach(e -> {
                if (onLine.test(e)) {
                    sequences.add(e.get("sequence").asLong());
                }
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            if (cursor == null) {
                return sequences;
            }
        }
        throw new AssertionError("more than 100 pages");
    }

    /**
     * Into target/browser-test only: the fixture's figures are made up for the checks; the
     * screenshots in docs/screenshots show the demo data (FinanceViewsDemoIT, -Dscreenshots=true).
     */
    private static Path screenshot(String name) throws IOException {
        Path file = WORK.resolve(name);
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }
}
