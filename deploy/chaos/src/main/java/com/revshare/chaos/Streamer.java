package com.revshare.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * Streams the run's events at a steady pace, as partners would through faults: over Kafka
 * (keyed by partner; a send the producer finally gives up on is sent again) and over HTTP
 * (batches with partner tokens; a request that failed or timed out is sent again, to either
 * instance — idempotency makes that safe), with duplicates and hostile records mixed in. What the
 * answers say that contradicts the contract is recorded as a violation.
 */
final class Streamer {
    private static final String BATCH = "application/cloudevents-batch+json";
    private static final String SINGLE = "application/cloudevents+json";
    private static final Duration DELIVERY_PATIENCE = Duration.ofMinutes(10);
    /**
     * A hostile record answered 5xx by both instances for this long is a finding, not a fault to
     * ride out: a server error that repeats for the same body is the record's doing.
     */
    private static final Duration HOSTILE_PATIENCE = Duration.ofSeconds(30);

    private final Options options;
    private final Workload workload;
    private final Fuzz fuzz;
    private final ChaosSystem system;
    private final Map<String, String> tokens = new HashMap<>();

    final AtomicLong offered = new AtomicLong();
    final AtomicLong kafkaSends = new AtomicLong();
    final AtomicLong kafkaResends = new AtomicLong();
    final AtomicLong httpBatches = new AtomicLong();
    final AtomicLong httpEvents = new AtomicLong();
    final AtomicLong httpRetries = new AtomicLong();
    final AtomicLong httpDuplicatesAnswered = new AtomicLong();
    final AtomicLong duplicatesSent = new AtomicLong();
    final AtomicLong fuzzKafka = new AtomicLong();
    final AtomicLong fuzzHttp = new AtomicLong();
    final AtomicLong fuzzHttpRejected = new AtomicLong();
    /** SHA-256 of every hostile record sent over Kafka: each must show up on revshare.usage.rejected. */
    final Set<String> kafkaFuzzSha = ConcurrentHashMap.newKeySet();
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    volatile boolean finished;

    private final ConcurrentLinkedQueue<ProducerRecord<String, byte[]>> failedSends = new ConcurrentLinkedQueue<>();
    private KafkaProducer<String, byte[]> producer;
    private ThreadPoolExecutor http;

    Streamer(Options options, Workload workload, Fuzz fuzz, ChaosSystem system) {
        this.options = options;
        this.workload = workload;
        this.fuzz = fuzz;
        this.system = system;
        for (String p : workload.partners) {
            tokens.put(p, system.infra.jwt().partner(p, Duration.ofHours(48)));
        }
    }

    void run() {
        producer = producer();
        http = new ThreadPoolExecutor(3, 3, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(6),
                new ThreadPoolExecutor.CallerRunsPolicy());
        SplittableRandom r = new SplittableRandom(options.seed ^ 0x5eed);
        Map<String, List<String>> buffers = new HashMap<>();
        Map<String, List<Fuzz.Record>> fuzzBuffers = new HashMap<>();
        long startNanos = System.nanoTime();
        long nanosPerEvent = 1_000_000_000L / Math.max(1, options.ratePerSecond);
        int fuzzSent = 0;
        try {
            for (int i = 0; i < options.events; i++) {
                long due = startNanos + i * nanosPerEvent;
                long wait = due - System.nanoTime();
                if (wait > 1_000_000) {
                    Api.pause(wait / 1_000_000);
                }
                send(workload.event(i), r, buffers);
                if (r.nextDouble() < options.duplicateRate) {
                    send(workload.event(r.nextInt(i + 1)), r, buffers);
                    duplicatesSent.incrementAndGet();
                }
                while (fuzzSent < (long) options.fuzz * (i + 1) / options.events) {
                    sendFuzz(fuzzSent++, r, fuzzBuffers);
                }
                offered.set(i + 1);
                if ((i & 1023) == 0) {
                    resendFailed();
                }
            }
            buffers.forEach((p, list) -> submitBatch(p, List.copyOf(list)));
            fuzzBuffers.forEach((p, list) -> submitFuzzBatch(p, List.copyOf(list)));
            http.shutdown();
            if (!http.awaitTermination(30, TimeUnit.MINUTES)) {
                violations.add("HTTP senders did not finish within 30 minutes");
            }
            producer.flush();
            while (!failedSends.isEmpty()) {
                resendFailed();
                producer.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofMinutes(5));
            finished = true;
        }
    }

    private void send(Workload.Event e, SplittableRandom r, Map<String, List<String>> buffers) {
        if (r.nextDouble() < options.httpShare) {
            List<String> buffer = buffers.computeIfAbsent(e.partner(), k -> new ArrayList<>());
            buffer.add(e.json());
            if (buffer.size() >= options.httpBatchSize) {
                submitBatch(e.partner(), List.copyOf(buffer));
                buffer.clear();
            }
        } else {
            sendKafka(new ProducerRecord<>(Topics.USAGE_RAW, e.partner(), e.json().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private void sendKafka(ProducerRecord<String, byte[]> record) {
        kafkaSends.incrementAndGet();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failedSends.add(record);
            }
        });
    }

    private void resendFailed() {
        ProducerRecord<String, byte[]> record;
        while ((record = failedSends.poll()) != null) {
            kafkaResends.incrementAndGet();
            sendKafka(record);
        }
    }

    private void submitBatch(String partner, List<String> events) {
        if (!events.isEmpty()) {
            http.execute(() -> postBatch(partner, events));
        }
    }

    private void postBatch(String partner, List<String> events) {
        byte[] body = ("[" + String.join(",", events) + "]").getBytes(StandardCharsets.UTF_8);
        Api.Answer answer = deliver(body, BATCH, partner, DELIVERY_PATIENCE);
        httpBatches.incrementAndGet();
        httpEvents.addAndGet(events.size());
        if (answer.status() != 202) {
            violations.add("HTTP batch of " + events.size() + " valid events of " + partner + " answered "
                    + answer.status() + " " + abbreviate(answer.body() != null ? answer.body() : answer.error()));
            return;
        }
        JsonNode json = answer.json();
        int accepted = json.path("accepted").asInt();
        int duplicates = json.path("duplicates").asInt();
        httpDuplicatesAnswered.addAndGet(duplicates);
        for (JsonNode rejected : json.path("rejected")) {
            violations.add("valid event rejected over HTTP: " + rejected);
        }
        if (accepted + duplicates + json.path("rejected").size() != events.size()) {
            violations.add("HTTP answer accounts for " + (accepted + duplicates + json.path("rejected").size())
                    + " of " + events.size() + " events: " + abbreviate(answer.body()));
        }
    }

    /** Sends until an instance answers other than a failure or 5xx; each failed try is a retry. */
    private Api.Answer deliver(byte[] body, String contentType, String partner, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        List<ServiceProcess> ingest = system.of("ingest");
        int attempt = (int) (httpBatches.get() & 1);
        while (true) {
            ServiceProcess p = ingest.get(attempt++ % ingest.size());
            Api.Answer a = Api.call("POST", p.baseUrl() + "/api/v1/usage-events", tokens.get(partner), contentType,
                    body, Duration.ofSeconds(30));
            if (a.status() > 0 && a.status() < 500 || System.nanoTime() > deadline) {
                return a;
            }
            httpRetries.incrementAndGet();
            Api.pause(attempt % ingest.size() == 0 ? 500 : 50);
        }
    }

    private void sendFuzz(int number, SplittableRandom r, Map<String, List<Fuzz.Record>> buffers) {
        boolean overHttp = r.nextBoolean();
        Fuzz.Record f = fuzz.record(number, false);
        if (!overHttp) {
            fuzzKafka.incrementAndGet();
            kafkaFuzzSha.add(f.sha256());
            sendKafka(new ProducerRecord<>(Topics.USAGE_RAW, f.kafkaKey(), f.bytes()));
            return;
        }
        String caller = f.kafkaKey() != null ? f.kafkaKey() : workload.partners.get(0);
        if (!f.object()) {
            http.execute(() -> postFuzzSingle(caller, f));
            return;
        }
        List<Fuzz.Record> buffer = buffers.computeIfAbsent(caller, k -> new ArrayList<>());
        buffer.add(f);
        if (buffer.size() >= 50) {
            submitFuzzBatch(caller, List.copyOf(buffer));
            buffer.clear();
        }
    }

    private void submitFuzzBatch(String caller, List<Fuzz.Record> records) {
        if (!records.isEmpty()) {
            http.execute(() -> postFuzzBatch(caller, records));
        }
    }

    private void postFuzzBatch(String caller, List<Fuzz.Record> records) {
        StringBuilder body = new StringBuilder("[");
        for (Fuzz.Record f : records) {
            body.append(body.length() > 1 ? "," : "").append(new String(f.bytes(), StandardCharsets.UTF_8));
        }
        body.append(']');
        fuzzHttp.addAndGet(records.size());
        Api.Answer a = deliver(body.toString().getBytes(StandardCharsets.UTF_8), BATCH, caller, HOSTILE_PATIENCE);
        if (a.status() != 202) {
            violations.add("HTTP batch of " + records.size() + " hostile events answered " + a.status() + ", not 202 "
                    + abbreviate(a.body() != null ? a.body() : a.error()));
            return;
        }
        JsonNode json = a.json();
        int rejected = json.path("rejected").size();
        fuzzHttpRejected.addAndGet(rejected);
        if (json.path("accepted").asInt() != 0 || json.path("duplicates").asInt() != 0 || rejected != records.size()) {
            Set<Integer> rejectedIndexes = new java.util.HashSet<>();
            json.path("rejected").forEach(x -> rejectedIndexes.add(x.path("index").asInt()));
            List<String> notRejected = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (!rejectedIndexes.contains(i)) {
                    notRejected.add("#" + records.get(i).number() + " kind " + records.get(i).kind() + " "
                            + abbreviate(new String(records.get(i).bytes(), StandardCharsets.UTF_8)));
                }
            }
            violations.add("HTTP batch of " + records.size() + " hostile events: accepted "
                    + json.path("accepted").asInt() + ", not rejected: " + notRejected);
        }
    }

    private void postFuzzSingle(String caller, Fuzz.Record f) {
        fuzzHttp.incrementAndGet();
        Api.Answer a = deliver(f.bytes(), SINGLE, caller, HOSTILE_PATIENCE);
        boolean rejected = a.status() == 400 || a.status() == 413
                || a.status() == 202 && a.json().path("rejected").size() == 1 && a.json().path("accepted").asInt() == 0;
        if (rejected) {
            fuzzHttpRejected.incrementAndGet();
        } else {
            violations.add("hostile record #" + f.number() + " (kind " + f.kind() + ") over HTTP answered " + a.status()
                    + " " + abbreviate(a.body() != null ? a.body() : a.error()));
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.infra.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        // ride out a broker crash and restart inside the producer; what still fails is sent again
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return new KafkaProducer<>(p);
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
