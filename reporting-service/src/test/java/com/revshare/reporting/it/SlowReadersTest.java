package com.revshare.reporting.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 12.4: slow readers cannot starve the projection. Many clients (more than the read pool's
 * and the projection pool's connections together) ask for large statements (JSON and CSV),
 * summaries and entry pages and then stop reading; while they hang, entries keep arriving and
 * the projection's freshness must keep advancing, and other callers' normal requests must answer
 * 200. Afterwards every slow reader still gets its whole, correct answer. Latencies are printed,
 * not asserted.
 */
@QuarkusTest
class SlowReadersTest {
    private static final String BIG = "sr-big";
    private static final String FRESH = "sr-fresh";
    private static final String PERIOD = "2026-07";
    private static final int BIG_LINES = 20_000;
    private static final int SLOW_READERS = 28;
    private static final int ROUNDS = 5;
    private static final int ENTRIES_PER_ROUND = 400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    @DataSource("reads")
    AgroalDataSource reads;

    @Test
    void theReadPoolsConnectionsCarryAStatementTimeoutAndReadOnlyTransactions() throws Exception {
        try (Connection c = reads.getConnection(); Statement s = c.createStatement()) {
            assertEquals("30s", show(s, "statement_timeout"));
            assertEquals("1min", show(s, "idle_in_transaction_session_timeout"));
            assertEquals("on", show(s, "default_transaction_read_only"));
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("show " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void manySlowReadersNeitherStallTheProjectionNorOtherCallers() throws Exception {
        // given a partner with a statement of 30,000 lines (several MB as JSON, CSV or summary)
        Publisher.partner(BIG, "USD");
        Publisher.partner(FRESH, "USD");
        List<EntryFixtures.Entry> big = new ArrayList<>();
        for (int i = 1; i <= BIG_LINES; i++) {
            big.add(EntryFixtures.usage(BIG, i, PERIOD, "model-with-a-rather-long-name-for-a-large-body-" + i,
                    "output_tokens", i, "1.00000000", "1.00000000", "USD"));
        }
        Publisher.entries(big);
        Publisher.awaitApplied(BIG, BIG_LINES);
        Publisher.entries(EntryFixtures.usage(FRESH, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD"));
        Publisher.awaitApplied(FRESH, 1);

        // and many readers, each with its own token, that ask for big answers and then stop reading
        String[] paths = { "/api/v1/reports/partners/" + BIG + "/statements/" + PERIOD,
                "/api/v1/reports/partners/" + BIG + "/statements/" + PERIOD + ".csv",
                "/api/v1/reports/summary?groupBy=partner,model,metric,period",
                "/api/v1/reports/partners/" + BIG + "/entries?limit=1000" };
        List<SlowReader> readers = new ArrayList<>();
        for (int i = 0; i < SLOW_READERS; i++) {
            String token = Infrastructure.shared().jwt().sign("slow-reader-" + i, List.of("finance"), null,
                    Duration.ofHours(1));
            readers.add(new SlowReader(root, paths[i % paths.length], token));
        }
        for (SlowReader r : readers) {
            // a reader the read pool could not serve in time is told 503 + Retry-After, and asks again
            r.awaitOk();
        }

        // when entries keep arriving while every slow reader hangs
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String finance = TestTokens.finance();
        long maxNormalMs = 0;
        long sequence = 1;
        for (int round = 1; round <= ROUNDS; round++) {
            List<EntryFixtures.Entry> batch = new ArrayList<>();
            for (int i = 0; i < ENTRIES_PER_ROUND; i++) {
                sequence++;
                batch.add(EntryFixtures.usage(FRESH, sequence, PERIOD, "m", "requests", 1, "1.00000000", null, "USD"));
            }
            Publisher.entries(batch);
            long target = sequence;
            long started = System.nanoTime();
            // then the projection keeps advancing (freshness from the normal caller's own requests)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> appliedSequence(http, finance) >= target);
            long appliedMs = (System.nanoTime() - started) / 1_000_000;
            // and other callers' normal requests answer 200
            long roundMaxMs = 0;
            for (String path : List.of("/api/v1/reports/freshness", "/api/v1/reports/periods/" + PERIOD,
                    "/api/v1/reports/partners/" + FRESH + "/statements/" + PERIOD,
                    "/api/v1/reports/partners/" + FRESH + "/entries?limit=100",
                    "/api/v1/reports/summary?groupBy=partner&from=" + PERIOD + "&to=" + PERIOD,
                    "/api/v1/reports/receivables")) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = get(http, path, finance);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(200, response.statusCode(), path + ": " + response.body());
                roundMaxMs = Math.max(roundMaxMs, ms);
            }
            maxNormalMs = Math.max(maxNormalMs, roundMaxMs);
            System.out.printf("[slow-readers] round %d: %d entries applied in %d ms with %d readers hanging; "
                    + "slowest normal request %d ms%n", round, ENTRIES_PER_ROUND, appliedMs, SLOW_READERS, roundMaxMs);
        }
        System.out.printf("[slow-readers] slowest normal request over %d rounds: %d ms%n", ROUNDS, maxNormalMs);
        JsonNode statement = JSON.readTree(get(http, "/api/v1/reports/partners/" + FRESH + "/statements/" + PERIOD,
                finance).body());
        assertEquals(sequence, statement.get("eventCount").asLong(), "every entry applied exactly once");

        // and afterwards every slow reader gets its whole, correct answer
        for (SlowReader r : readers) {
            String body = r.readToEnd();
            if (r.path.endsWith(".csv")) {
                assertEquals(BIG_LINES, body.lines().filter(l -> l.startsWith("line,")).count(), r.path);
                assertTrue(body.contains("\r\namountDue,"), r.path);
            } else if (r.path.contains("/statements/")) {
                JsonNode s = JSON.readTree(body);
                assertEquals(BIG_LINES, s.get("lines").size(), r.path);
                assertEquals(BIG_LINES, s.get("proof").get("entryCount").asLong(), r.path);
            } else if (r.path.contains("/summary")) {
                long rows = 0;
                for (JsonNode row : JSON.readTree(body)) {
                    rows += BIG.equals(row.get("partnerId").asText()) ? 1 : 0;
                }
                assertEquals(BIG_LINES, rows, r.path);
            } else {
                assertEquals(1000, JSON.readTree(body).get("entries").size(), r.path);
            }
        }
    }

    private HttpResponse<String> get(HttpClient http, String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private long appliedSequence(HttpClient http, String token) throws Exception {
        for (JsonNode row : JSON.readTree(get(http, "/api/v1/reports/freshness", token).body())) {
            if (FRESH.equals(row.get("partnerId").asText())) {
                return row.get("sequence").asLong();
            }
        }
        return 0;
    }

    /**
     * A client that sends its request over a socket with a tiny receive window, reads the status
     * line, and then reads nothing until told to: the slowest possible reader.
     */
    private static final class SlowReader {
        final String path;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        private final URL root;
        private final String token;
        private Socket socket;
        private InputStream in;

        SlowReader(URL root, String path, String token) throws IOException {
            this.root = root;
            this.path = path;
            this.token = token;
            send();
        }

        /** Reads the status line; on 503 (read pool busy) sends the request again, as Retry-After says. */
        void awaitOk() throws IOException {
            for (int attempt = 1; attempt <= 60; attempt++) {
                String status = statusLine();
                if (status.startsWith("HTTP/1.1 200")) {
                    return;
                }
                assertEquals("HTTP/1.1 503", status.substring(0, 12), path);
                socket.close();
                received.reset();
                send();
            }
            throw new AssertionError(path + ": still 503 after 60 attempts");
        }

        private void send() throws IOException {
            socket = new Socket();
            socket.setReceiveBufferSize(1024);
            socket.setSoTimeout(120_000);
            socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + root.getHost() + "\r\nAuthorization: Bearer " + token
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in = socket.getInputStream();
        }

        String statusLine() throws IOException {
            int b;
            while ((b = in.read()) != -1) {
                received.write(b);
                if (b == '\n') {
                    break;
                }
            }
            return received.toString(StandardCharsets.US_ASCII);
        }

        /** Reads the rest of the response (the server closes it) and returns its decoded body. */
        String readToEnd() throws IOException {
            in.transferTo(received);
            socket.close();
            byte[] all = received.toByteArray();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int split = text.indexOf("\r\n\r\n");
            String headers = text.substring(0, split).toLowerCase();
            byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
            if (headers.contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new String(body, StandardCharsets.UTF_8);
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int i = 0;
            while (true) {
                int lineEnd = i;
                while (chunked[lineEnd] != '\r') {
                    lineEnd++;
                }
                int size = Integer.parseInt(new String(chunked, i, lineEnd - i, StandardCharsets.US_ASCII).trim(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(chunked, lineEnd + 2, size);
                i = lineEnd + 2 + size + 2;
            }
        }
    }
}
