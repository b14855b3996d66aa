package com.revshare.browser;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The ledger's and ingest's read APIs that the dashboard calls across origins, answered from the
 * fixture exactly as SPEC v2 writes them: the ledger's partner registry (§5), period proofs (§4.1,
 * the hash computed here from the published entries, so the dashboard's "agree" compares it with
 * reporting's own), the audit log (§3.9, cursor paging, partner and time filters, no action filter)
 * and ingest's control totals (§2.6, statuses derived from reported and received). They stand in
 * while those endpoints are being built on main; each answers with the CORS headers the real
 * services send for the dashboard's origin ({@code REVSHARE_DASHBOARD_ORIGINS}), and refuses a
 * request without a bearer token (401).
 */
final class PeerApis implements AutoCloseable {
    static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");
    static final Pattern PROOF = Pattern.compile("/api/v1/partners/([a-z0-9-]+)/periods/(\\d{4}-\\d{2})/proof");
    static final Pattern CONTROLS = Pattern.compile("/api/v1/partners/([a-z0-9-]+)/controls");

    private final ObjectMapper json;
    private final LedgerFixture fixture;
    private final String origin;
    private final List<Map<String, Object>> audit;
    private final List<Map<String, Object>> controls;
    private final HttpServer ledger;
    private final HttpServer ingest;

    PeerApis(ObjectMapper json, LedgerFixture fixture, String origin) throws IOException {
        this.json = json;
        this.fixture = fixture;
        this.origin = origin;
        this.audit = auditRecords(fixture);
        this.controls = controls(fixture);
        this.ledger = server(this::ledger);
        this.ingest = server(this::ingest);
    }

    String ledgerUrl() {
        return "http://127.0.0.1:" + ledger.getAddress().getPort();
    }

    String ingestUrl() {
        return "http://127.0.0.1:" + ingest.getAddress().getPort();
    }

    List<Map<String, Object>> audit() {
        return audit;
    }

    /** aws's controls as ingest answers them (window start, then controlId). */
    List<Map<String, Object>> controls() {
        return controls;
    }

    /** The first of the picked month: aws's controls cover its first three days. */
    LocalDate controlDay() {
        return fixture.picked().atDay(1);
    }

    @Override
    public void close() {
        ledger.stop(0);
        ingest.stop(0);
    }

    private HttpServer server(Function<HttpExchange, Object> routes) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
                exchange.getResponseHeaders().add("Vary", "Origin");
                if (exchange.getRequestMethod().equals("OPTIONS")) {
                    exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, PUT");
                    exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Authorization, Accept, Content-Type");
                    exchange.getResponseHeaders().add("Access-Control-Max-Age", "600");
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ")) {
                    send(exchange, 401, Map.of("type", "about:blank", "title", "Unauthorized", "status", 401,
                            "detail", "bearer token required"));
                    return;
                }
                Object body = routes.apply(exchange);
                if (body == null) {
                    send(exchange, 404, Map.of("type", "about:blank", "title", "Not Found", "status", 404, "detail", "no such path"));
                } else {
                    send(exchange, 200, body);
                }
            }
        });
        server.start();
        return server;
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    // ------------------------------------------------------------------ ledger

    private Object ledger(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/v1/partners")) {
            return LedgerFixture.PARTNERS.stream().map(p -> Map.of("partnerId", p.id(), "name", p.name(),
                    "currency", p.currency(), "status", "ACTIVE", "paymentTermsDays", 30)).toList();
        }
        Matcher proof = PROOF.matcher(path);
        if (proof.matches()) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("partnerId", proof.group(1));
            answer.put("period", proof.group(2));
            answer.put("status", fixture.closedAt(proof.group(1), proof.group(2)) == null ? "OPEN" : "CLOSED");
            answer.putAll(fixture.proof(proof.group(1), proof.group(2)));
            answer.put("replayMatches", true);
            return answer;
        }
        if (path.equals("/api/v1/audit")) {
            Map<String, String> query = query(exchange);
            int limit = Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "100")));
            int start = Integer.parseInt(query.getOrDefault("cursor", "0"));
            Instant from = query.containsKey("from") ? Instant.parse(query.get("from")) : Instant.MIN;
            Instant to = query.containsKey("to") ? Instant.parse(query.get("to")) : Instant.MAX;
            String partner = query.get("partnerId");
            List<Map<String, Object>> records = new ArrayList<>();
            int index = start;
            for (; index < audit.size() && records.size() < limit; index++) {
                Map<String, Object> r = audit.get(index);
                Instant at = Instant.parse((String) r.get("at"));
                if ((partner == null || partner.equals(r.get("partnerId"))) && !at.isBefore(from) && at.isBefore(to)) {
                    records.add(r);
                }
            }
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("records", records);
            page.put("nextCursor", index < audit.size() ? String.valueOf(index) : null);
            return page;
        }
        return null;
    }

    /**
     * Audit records of the fixture's admin history, oldest first: each partner's creation and
     * agreement, a daily FX rate (so that a filter must read past several pages), each close, the
     * adjustments and every payment.
     */
    private static List<Map<String, Object>> auditRecords(LedgerFixture fixture) {
        TreeMap<String, Map<String, Object>> byTime = new TreeMap<>();
        YearMonth first = fixture.months().get(0);
        Instant start = first.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).minus(Duration.ofDays(3));
        int n = 0;
        for (LedgerFixture.Partner p : LedgerFixture.PARTNERS) {
            Instant at = start.plusSeconds(60L * n++);
            put(byTime, record(at, "admin", "PARTNER_CREATED", p.id(), p.id(), null, null,
                    Map.of("name", p.name(), "currency", p.currency(), "paymentTermsDays", 30)));
            put(byTime, record(at.plusSeconds(5), "admin", "AGREEMENT_ADDED", p.id(), "1", null, null,
                    Map.of("version", 1, "currency", p.currency(), "effectiveFrom", first.atDay(1) + "T00:00:00Z")));
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (LocalDate day = first.atDay(1); day.isBefore(today); day = day.plusDays(1)) {
            String rate = BigDecimal.valueOf(1_0800 + day.getDayOfYear() % 40, 4).toPlainString();
            put(byTime, record(day.atTime(6, 0).toInstant(ZoneOffset.UTC), "treasury", "FX_RATE_SET", null,
                    day + " EUR/USD", null, null, Map.of("date", day.toString(), "base", "EUR", "quote", "USD", "rate", rate)));
        }
        for (LedgerFixture.Entry e : fixture.entries()) {
            switch (e.kind()) {
                case "PERIOD_CLOSED" -> put(byTime, record(e.closedAt(), "admin", "PERIOD_CLOSED", e.partnerId(), e.period(),
                        null, Map.of("status", "OPEN"), Map.of("status", "CLOSED", "closedAt", e.closedAt().toString())));
                case "MANUAL_ADJUSTMENT", "TIER_TRUE_UP", "MINIMUM_TRUE_UP", "CAP_ADJUSTMENT" -> {
                    if (e.memo() != null) {
                        put(byTime, record(YearMonth.parse(e.period()).atDay(20).atTime(15, 0).toInstant(ZoneOffset.UTC),
                                e.actor(), "ADJUSTMENT_POSTED", e.partnerId(), String.valueOf(e.sequence()), e.memo(), null,
                                Map.of("period", e.period(), "amount", e.amount().setScale(8).toPlainString())));
                    }
                }
                case "PAYMENT" -> put(byTime, record(e.receivedOn().atTime(9, 0).toInstant(ZoneOffset.UTC)
                        .plus(e.sequence() % 50, ChronoUnit.SECONDS), "finance", "PAYMENT_RECORDED", e.partnerId(),
                        e.paymentId(), e.reference(), null, Map.of("paymentId", e.paymentId(),
                                "amount", e.amount().setScale(LedgerFixture.minorUnit(e.currency()), RoundingMode.UNNECESSARY)
                                        .toPlainString(),
                                "currency", e.currency(), "receivedOn", e.receivedOn().toString())));
                default -> {
                }
            }
        }
        return List.copyOf(byTime.values());
    }

    private static void put(TreeMap<String, Map<String, Object>> byTime, Map<String, Object> record) {
        // oldest first; records at the same instant keep their order of creation
        byTime.put(record.get("at") + "#" + String.format("%06d", byTime.size()), record);
    }

    private static Map<String, Object> record(Instant at, String actor, String action, String partnerId, String subject,
            String memo, Object before, Object after) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("at", at.toString());
        r.put("actor", actor);
        r.put("action", action);
        r.put("partnerId", partnerId);
        r.put("subject", subject);
        r.put("memo", memo);
        r.put("before", before);
        r.put("after", after);
        return r;
    }

    // ------------------------------------------------------------------ ingest

    private Object ingest(HttpExchange exchange) {
        Matcher matcher = CONTROLS.matcher(exchange.getRequestURI().getPath());
        if (!matcher.matches()) {
            return null;
        }
        Map<String, String> query = query(exchange);
        Instant from = query.containsKey("from") ? Instant.parse(query.get("from")) : Instant.MIN;
        Instant to = query.containsKey("to") ? Instant.parse(query.get("to")) : Instant.MAX;
        if (!matcher.group(1).equals("aws")) {
            return List.of();
        }
        return controls.stream().filter(c -> Instant.parse((String) c.get("from")).isBefore(to)
                && Instant.parse((String) c.get("to")).isAfter(from)).toList();
    }

    /** What ingest received for aws in [from, to): its unique usage events with time in the window (re-rating counts once). */
    static Map<String, Object> received(LedgerFixture fixture, Instant from, Instant to) {
        Map<String, LedgerFixture.Entry> events = new LinkedHashMap<>();
        for (LedgerFixture.Entry e : fixture.entries()) {
            if (e.partnerId().equals("aws") && (e.kind().equals("USAGE") || e.kind().equals("LATE_USAGE"))
                    && !e.eventTime().isBefore(from) && e.eventTime().isBefore(to)) {
                events.putIfAbsent(e.usageEventId(), e);
            }
        }
        Map<String, Long> quantities = new LinkedHashMap<>();
        METRICS.forEach(m -> quantities.put(m, 0L));
        BigDecimal revenue = BigDecimal.ZERO.setScale(8);
        for (LedgerFixture.Entry e : events.values()) {
            quantities.merge(e.metric(), e.quantity(), Long::sum);
            revenue = revenue.add(e.revenue());
        }
        return figures(events.size(), quantities, revenue);
    }

    private static Map<String, Object> figures(long count, Map<String, Long> quantities, BigDecimal usd) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("eventCount", count);
        Map<String, String> q = new LinkedHashMap<>();
        METRICS.forEach(m -> q.put(m, String.valueOf(quantities.getOrDefault(m, 0L))));
        f.put("quantities", q);
        f.put("revenue", Map.of("USD", usd.setScale(8).toPlainString()));
        return f;
    }

    /**
     * aws's hourly controls over the first three days of the picked month, plus one daily control:
     * most hours MATCHED; among the hours with events, one reported two events more (SHORT), one one
     * event fewer (OVER) and one with the same count but 5 more input tokens (MISMATCH).
     */
    private static List<Map<String, Object>> controls(LedgerFixture fixture) {
        Instant start = fixture.picked().atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Map<String, Object>> list = new ArrayList<>();
        List<Integer> busy = new ArrayList<>();
        for (int h = 0; h < 72; h++) {
            Instant from = start.plus(h, ChronoUnit.HOURS);
            if (((Number) received(fixture, from, from.plus(1, ChronoUnit.HOURS)).get("eventCount")).longValue() > 0) {
                busy.add(h);
            }
        }
        int shortHour = busy.get(0);
        int overHour = busy.get(busy.size() / 2);
        int mismatchHour = busy.get(busy.size() - 1);
        for (int h = 0; h < 72; h++) {
            Instant from = start.plus(h, ChronoUnit.HOURS);
            Instant to = from.plus(1, ChronoUnit.HOURS);
            Map<String, Object> received = received(fixture, from, to);
            long count = ((Number) received.get("eventCount")).longValue();
            @SuppressWarnings("unchecked")
            Map<String, String> q = (Map<String, String>) received.get("quantities");
            Map<String, Long> quantities = new LinkedHashMap<>();
            q.forEach((k, v) -> quantities.put(k, Long.parseLong(v)));
            @SuppressWarnings("unchecked")
            BigDecimal usd = new BigDecimal(((Map<String, String>) received.get("revenue")).get("USD"));
            Map<String, Object> reported = received;
            if (h == shortHour) {
                reported = figures(count + 2, quantities, usd.add(new BigDecimal("3.50")));
            } else if (h == overHour) {
                reported = figures(count - 1, quantities, usd);
            } else if (h == mismatchHour) {
                Map<String, Long> more = new LinkedHashMap<>(quantities);
                more.merge("input_tokens", 5L, Long::sum);
                reported = figures(count, more, usd);
            }
            list.add(control("aws-ctl-" + from.toString().substring(0, 13), from, to, reported, received));
        }
        Instant day = start.plus(1, ChronoUnit.DAYS);
        Map<String, Object> dayReceived = received(fixture, day, day.plus(1, ChronoUnit.DAYS));
        list.add(control("aws-ctl-day-" + day.toString().substring(0, 10), day, day.plus(1, ChronoUnit.DAYS),
                dayReceived, dayReceived));
        list.sort((a, b) -> {
            int byStart = ((String) a.get("from")).compareTo((String) b.get("from"));
            return byStart != 0 ? byStart : ((String) a.get("controlId")).compareTo((String) b.get("controlId"));
        });
        return List.copyOf(list);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> control(String id, Instant from, Instant to, Map<String, Object> reported,
            Map<String, Object> received) {
        long rc = ((Number) reported.get("eventCount")).longValue();
        long gc = ((Number) received.get("eventCount")).longValue();
        Map<String, String> difference = new LinkedHashMap<>();
        boolean sumsDiffer = false;
        for (String m : METRICS) {
            long d = Long.parseLong(((Map<String, String>) received.get("quantities")).get(m))
                    - Long.parseLong(((Map<String, String>) reported.get("quantities")).get(m));
            difference.put(m, String.valueOf(d));
            sumsDiffer |= d != 0;
        }
        BigDecimal usd = new BigDecimal(((Map<String, String>) received.get("revenue")).get("USD"))
                .subtract(new BigDecimal(((Map<String, String>) reported.get("revenue")).get("USD")));
        sumsDiffer |= usd.signum() != 0;
        String status = gc < rc ? "SHORT" : gc > rc ? "OVER" : sumsDiffer ? "MISMATCH" : "MATCHED";
        if (rc == gc && !sumsDiffer) {
            status = "MATCHED";
        }
        Map<String, Object> diff = new LinkedHashMap<>();
        diff.put("eventCount", gc - rc);
        diff.put("quantities", difference);
        diff.put("revenue", Map.of("USD", usd.setScale(8).toPlainString()));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("controlId", id);
        c.put("from", from.toString());
        c.put("to", to.toString());
        c.put("reportedAt", to.plus(2, ChronoUnit.MINUTES).toString());
        c.put("status", status);
        c.put("reported", reported);
        c.put("received", received);
        c.put("difference", diff);
        return c;
    }
}
