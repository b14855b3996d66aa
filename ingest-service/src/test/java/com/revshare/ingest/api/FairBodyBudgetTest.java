package com.revshare.ingest.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 12.4: the HTTP body budget is fair. Beside a partner whose client trickles its body a few bytes every
 * 100 ms and another partner uploading a 64 MiB body (the whole body pool) just as slowly, the small requests of
 * four other partners are all accepted (202) while both uploads are still sending; the slow ones are then cut
 * off by the read deadline with 408. With the former single first-come-first-served budget the huge upload
 * held all the room and every small request waited and was answered 503.
 */
@QuarkusTest
class FairBodyBudgetTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    PartnerRegistry registry;
    @Inject
    BodyBudget budget;

    @TestHTTPResource("/api/v1/usage-events")
    URI endpoint;

    @Test
    void slowAndHugeUploadsNeitherDelayNorFailOtherPartnersSmallRequestsAndAreCutOffBy408() throws Exception {
        // given a partner with a trickling client, a partner with a huge trickling upload and four normal partners
        String slowPartner = register("slow");
        String hugePartner = register("huge");
        List<String> normalPartners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            normalPartners.add(register("normal" + i));
        }
        long smallPoolFree = budget.availableSmallBytes();
        long bodyPoolFree = budget.availableBytes();

        // when the slow client sends a 2 KiB event 3 bytes per 100 ms
        byte[] slowBody = padded(event(slowPartner, "slow-1"), 2048);
        TricklingUpload slow = TricklingUpload.start(endpoint, slowPartner, slowBody.length, slowBody, 0);
        // and the huge upload declares 64 MiB, sends 256 KiB at once, then 3 bytes per 100 ms
        byte[] hugeStart = padded(event(hugePartner, "huge-1"), 256 * 1024);
        TricklingUpload huge = TricklingUpload.start(endpoint, hugePartner, 64L * 1024 * 1024, hugeStart,
                hugeStart.length);
        // (both are being read: the huge one holds the whole body pool, the slow one room in the small pool)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> budget.availableBytes() == 0 && budget.availableSmallBytes() < smallPoolFree);

        // and the normal partners each send five small events, all partners at once
        long normalsStart = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(normalPartners.size());
        List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
        List<Future<List<Integer>>> statuses = new ArrayList<>();
        for (String partner : normalPartners) {
            statuses.add(pool.submit(() -> {
                List<Integer> codes = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint)
                            .timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + TestTokens.partner(partner))
                            .header("Content-Type", "application/cloudevents+json")
                            .POST(HttpRequest.BodyPublishers.ofString(event(partner, "n-" + i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    latenciesMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    codes.add(r.statusCode());
                }
                return codes;
            }));
        }
        List<Integer> codes = new ArrayList<>();
        for (Future<List<Integer>> f : statuses) {
            codes.addAll(f.get(120, TimeUnit.SECONDS));
        }
        long normalsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - normalsStart);
        pool.shutdown();

        // then every normal request was accepted while both uploads were still sending
        assertEquals(Collections.nCopies(20, 202), codes);
        assertFalse(slow.result.isDone(), "the slow upload is still sending when the normal requests are done");
        assertFalse(huge.result.isDone(), "the huge upload is still sending when the normal requests are done");
        List<Long> sorted = new ArrayList<>(latenciesMs);
        Collections.sort(sorted);
        System.out.printf("[fair-body] 20 normal requests of 4 partners beside a trickling and a 64 MiB upload: "
                + "all 202 in %d ms; latency min %d ms, median %d ms, p95 %d ms, max %d ms%n", normalsMs,
                sorted.get(0), sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.95) - 1),
                sorted.get(sorted.size() - 1));

        // and the read deadline ends both slow uploads with 408, giving their room back
        Answer slowAnswer = slow.result.get(120, TimeUnit.SECONDS);
        Answer hugeAnswer = huge.result.get(120, TimeUnit.SECONDS);
        System.out.printf("[fair-body] trickling upload: %s after %d ms (%d bytes sent); 64 MiB upload: %s after"
                + " %d ms (%d bytes sent)%n", slowAnswer.statusLine, slowAnswer.elapsedMs, slowAnswer.bytesSent,
                hugeAnswer.statusLine, hugeAnswer.elapsedMs, hugeAnswer.bytesSent);
        assertTrue(slowAnswer.statusLine.startsWith("HTTP/1.1 408"), slowAnswer.statusLine);
        assertTrue(hugeAnswer.statusLine.startsWith("HTTP/1.1 408"), hugeAnswer.statusLine);
        assertTrue(slowAnswer.bytesSent < slowBody.length, "cut off before the body was complete");
        await().atMost(Duration.ofSeconds(30)).until(
                () -> budget.availableBytes() == bodyPoolFree && budget.availableSmallBytes() == smallPoolFree);
    }

    @Test
    void onePartnersFloodOfSmallBodiesIsHeldToItsShareWhileAnotherPartnerStillGetsRoom() throws Exception {
        // given one partner holding its whole small-pool share (4 MiB, in two 2 MiB reservations)
        try (BodyBudget.Reservation a = budget.reserve("flooder", 2L * 1024 * 1024);
                BodyBudget.Reservation b = budget.reserve("flooder", 2L * 1024 * 1024)) {
            assertTrue(a != null && b != null);
            // when it asks for one more small body, it gets no room (after the configured wait)
            BodyBudget.Reservation c = budget.reserve("flooder", 1024);
            assertEquals(null, c);
            // then another partner's small body still finds room at once
            try (BodyBudget.Reservation other = budget.reserve("other", 1024)) {
                assertTrue(other != null);
            }
        }
    }

    private String register(String prefix) {
        String partnerId = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("revshare.partners", partnerId, "{\"partnerId\":\"" + partnerId
                    + "\",\"name\":\"Test " + partnerId + "\",\"currency\":\"USD\",\"status\":\"ACTIVE\"}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> registry.isRegistered(partnerId));
        return partnerId;
    }

    private static String event(String partnerId, String eventId) {
        return """
                {"specversion":"1.0","id":"%s","source":"s","type":"revshare.usage.v1","time":"2026-11-02T00:00:00Z",
                 "partnerid":"%s","data":{"model":"m","metric":"requests","quantity":1}}"""
                .formatted(eventId, partnerId);
    }

    /** The event with an ignored member {@code pad} making it exactly {@code size} bytes. */
    private static byte[] padded(String event, int size) {
        String head = event.substring(0, event.lastIndexOf('}')) + ",\"pad\":\"";
        String tail = "\"}";
        int fill = size - head.length() - tail.length();
        return (head + "x".repeat(fill) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    /** What a trickling upload got: the status line, when, and how much of its body it had sent. */
    record Answer(String statusLine, long elapsedMs, long bytesSent) {
    }

    /**
     * A raw HTTP/1.1 upload declaring {@code declaredLength} bytes: sends {@code body}'s first
     * {@code burst} bytes at once, then the rest of the declared length 3 bytes every 100 ms (the body, then
     * spaces), until the server answers or closes.
     */
    static final class TricklingUpload {
        final CompletableFuture<Answer> result = new CompletableFuture<>();
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile long sent;

        static TricklingUpload start(URI endpoint, String partner, long declaredLength, byte[] body, int burst)
                throws IOException {
            TricklingUpload upload = new TricklingUpload();
            Socket socket = new Socket(endpoint.getHost(), endpoint.getPort());
            socket.setSoTimeout(180_000);
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + endpoint.getPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":"
                    + endpoint.getPort() + "\r\nAuthorization: Bearer " + TestTokens.partner(partner)
                    + "\r\nContent-Type: application/cloudevents+json\r\nContent-Length: " + declaredLength
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, burst);
            out.flush();
            upload.sent = burst;
            Thread writer = new Thread(() -> {
                try {
                    while (!upload.answered.get() && upload.sent < declaredLength) {
                        byte[] next = new byte[(int) Math.min(3, declaredLength - upload.sent)];
                        for (int i = 0; i < next.length; i++) {
                            long at = upload.sent + i;
                            next[i] = at < body.length ? body[(int) at] : (byte) ' ';
                        }
                        out.write(next);
                        out.flush();
                        upload.sent += next.length;
                        Thread.sleep(100); // the client's pace, not a wait for the server
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection: the reader reports what it answered
                }
            }, "trickle-" + partner);
            Thread reader = new Thread(() -> {
                try (socket; BufferedReader in = new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line = in.readLine();
                    upload.answered.set(true);
                    upload.result.complete(new Answer(String.valueOf(line),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), upload.sent));
                } catch (IOException e) {
                    upload.answered.set(true);
                    upload.result.complete(new Answer("no answer: " + e,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), upload.sent));
                }
            }, "trickle-reader-" + partner);
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
            return upload;
        }
    }
}
