package com.revshare.chaos;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import com.revshare.infra.Topics;

/**
 * What the checker reads from the system under test: the entries topic (streamed, deduped by
 * partner and sequence), the rejections topic, and the services' APIs (reporting's entries and
 * freshness, the ledger's balance, ingest's intake). Problems met while reading (an unreadable or
 * conflicting entry record, a failed page) are collected for the "no entry twice" invariant.
 */
final class SystemReads {
    private final ChaosSystem system;
    private final String finance;

    SystemReads(ChaosSystem system) {
        this.system = system;
        this.finance = system.infra.jwt().finance(Duration.ofHours(48));
    }

    private long publishedRecords;
    private long publishedDistinct;
    private final List<String> conflictingCopies = new ArrayList<>();
    private String lastIntakeStatus = "";

    /** The ledger's entries as published on revshare.ledger.entries, deduped by (partner, sequence). */
    Map<String, Map<Long, JsonNode>> publishedEntries() {
        Map<String, Map<Long, JsonNode>> byPartner = new TreeMap<>();
        forEachRecord(Topics.LEDGER_ENTRIES, r -> {
            publishedRecords++;
            JsonNode e;
            try {
                e = Api.JSON.readTree(r.value());
            } catch (Exception ex) {
                add(conflictingCopies, "unreadable entry record at " + r.topic() + "-" + r.partition() + "@" + r.offset());
                return;
            }
            JsonNode first = byPartner.computeIfAbsent(e.path("partnerId").asText(), k -> new TreeMap<>())
                    .putIfAbsent(e.path("sequence").asLong(), e);
            if (first == null) {
                publishedDistinct++;
            } else if (!first.path("entryId").asText().equals(e.path("entryId").asText())
                    || new BigDecimal(first.path("amount").asText()).compareTo(new BigDecimal(e.path("amount").asText())) != 0) {
                add(conflictingCopies, e.path("partnerId").asText() + " sequence " + e.path("sequence")
                        + " published with different content: " + first + " / " + e);
            }
        });
        return byPartner;
    }

    Set<String> rejectedShas() {
        Set<String> shas = new HashSet<>();
        forEachRecord(Topics.USAGE_REJECTED, r -> {
            try {
                shas.add(Api.JSON.readTree(r.value()).path("sha256").asText());
            } catch (Exception e) {
                // not a rejection record: counted by its absence
            }
        });
        return shas;
    }

    /**
     * Hands every record of a topic, from its beginning to the end offsets read at the start, to
     * {@code each} as it is polled: a full run's topics hold millions of records, so they are not
     * collected first.
     */
    private void forEachRecord(String topic, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.infra.kafkaBootstrap());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "4194304");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(60));
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(r);
                }
            }
        }
    }

    List<JsonNode> reportingEntries(String partner) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/api/v1/reports/partners/" + partner + "/entries?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Api.Answer a = Api.getAny(system.of("reporting"), path, finance);
            if (a.status() != 200) {
                add(conflictingCopies, "reporting entries of " + partner + " answered " + a.status());
                break;
            }
            JsonNode page = a.json();
            page.path("entries").forEach(entries::add);
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText(null);
        } while (cursor != null);
        return entries;
    }

    JsonNode balance(String partner) {
        Api.Answer a = Api.getAny(system.of("ledger"), "/api/v1/partners/" + partner + "/balance", finance);
        return a.status() == 200 ? a.json() : null;
    }

    JsonNode intake(String partner) {
        Api.Answer a = Api.getAny(system.of("ingest"), "/api/v1/partners/" + partner + "/intake", finance);
        lastIntakeStatus = a.status() + " " + Streamer.abbreviate(a.body() != null ? a.body() : a.error());
        return a.status() == 200 ? a.json() : null;
    }

    Map<String, Long> freshness() {
        Map<String, Long> f = new HashMap<>();
        Api.Answer a = Api.getAny(system.of("reporting"), "/api/v1/reports/freshness", finance);
        if (a.status() == 200) {
            for (JsonNode row : a.json()) {
                f.put(row.path("partnerId").asText(), row.path("sequence").asLong());
            }
        }
        return f;
    }

    long publishedRecords() {
        return publishedRecords;
    }

    long publishedDistinct() {
        return publishedDistinct;
    }

    /** Problems met while reading: conflicting or unreadable entry records, failed entry pages. */
    List<String> problems() {
        return conflictingCopies;
    }

    /** The status and body of the last intake read, for a message when it failed. */
    String lastIntakeStatus() {
        return lastIntakeStatus;
    }

    private static void add(List<String> problems, String problem) {
        if (problems.size() < 1000) {
            problems.add(problem);
        }
    }
}
