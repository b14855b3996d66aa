package com.revshare.benchmark;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.Topics;

/**
 * Reference (a), the single-stage ceiling of this machine: a minimal consumer that parses each
 * record once (Jackson tree) and writes each poll to PostgreSQL with one multi-row
 * {@code INSERT ... ON CONFLICT DO NOTHING} in one transaction, then commits the poll's offsets
 * once. No validation, no forwarding: the cost floor of any stage that stores what it consumes.
 * Its input is pre-filled, so it measures the stage alone.
 */
final class CeilingReference {
    /** The reference's figures. */
    record Result(long records, long storedRows, int threads, double seconds, double recordsPerSecond, long polls,
            CpuWindow.Usage consumeCpu, double consumerThreadCpuSeconds) {
        /**
         * The stage's own CPU per record while it consumed: its consumer process (the benchmark's
         * JVM, which runs nothing else then), PostgreSQL and the broker, in core-microseconds.
         */
        double coreMicrosPerRecord() {
            return (consumeCpu.cpuSeconds("benchmark") + consumeCpu.cpuSeconds("postgresql")
                    + consumeCpu.cpuSeconds("kafka")) * 1e6 / records;
        }
    }

    private static final int MAX_POLL_RECORDS = 1000;

    private CeilingReference() {
    }

    /**
     * Fills the topic, then consumes it; {@code groups} are the processes whose CPU counts towards
     * the stage's (PostgreSQL, the broker), measured from the end of the fill to the last commit.
     */
    static Result run(Infrastructure infra, String runId, FeedGenerator generator, long records, int threads,
            Map<String, java.util.function.Supplier<List<Long>>> groups) throws Exception {
        String topic = "bench.ceiling." + runId;
        BenchTopics.create(infra.kafkaBootstrap(), List.of(new Topics.Spec(topic, 4, Map.of())));
        String jdbc = infra.createDatabase("bench_reference");
        try (Connection c = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword());
                Statement s = c.createStatement()) {
            s.execute("drop table if exists ceiling_event");
            s.execute("""
                    create table ceiling_event (
                        partner_id varchar(63) not null, event_id varchar(128) not null,
                        event_time timestamptz not null, model text not null, metric text not null,
                        quantity bigint not null, revenue numeric(38, 8), currency char(3), payload text not null,
                        primary key (partner_id, event_id))""");
        }
        try (RawProducer producer = new RawProducer(infra.kafkaBootstrap())) {
            producer.produce(topic, generator, 'C', records, 0, null);
        }

        CpuWindow window = CpuWindow.open(groups);
        AtomicLong threadCpuNanos = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicLong polls = new AtomicLong();
        AtomicLong firstRecord = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastCommit = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                long cpuStart = mx.getCurrentThreadCpuTime();
                try {
                    consume(infra, jdbc, topic, "bench-ceiling-" + runId, records, consumed, polls, firstRecord, lastCommit);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    threadCpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpuStart);
                }
            }, "ceiling-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        CpuWindow.Usage consumeCpu = window.close();
        if (failure.get() != null) {
            throw new IllegalStateException("ceiling reference failed", failure.get());
        }
        long stored;
        try (Connection c = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from ceiling_event")) {
            rs.next();
            stored = rs.getLong(1);
            s.execute("drop table ceiling_event");
        }
        BenchTopics.delete(infra.kafkaBootstrap(), List.of(topic));
        double seconds = (lastCommit.get() - firstRecord.get()) / 1e9;
        return new Result(records, stored, threads, seconds, records / seconds, polls.get(), consumeCpu,
                threadCpuNanos.get() / 1e9);
    }

    private static void consume(Infrastructure infra, String jdbc, String topic, String group, long total,
            AtomicLong consumed, AtomicLong polls, AtomicLong firstRecord, AtomicLong lastCommit) throws SQLException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props);
                Connection db = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword())) {
            db.setAutoCommit(false);
            consumer.subscribe(List.of(topic));
            while (consumed.get() < total) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(Duration.ofMillis(100));
                if (batch.isEmpty()) {
                    continue;
                }
                firstRecord.accumulateAndGet(System.nanoTime(), Math::min);
                insert(db, batch);
                db.commit();
                consumer.commitSync();
                polls.incrementAndGet();
                consumed.addAndGet(batch.count());
                lastCommit.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }
    }

    private static void insert(Connection db, ConsumerRecords<String, byte[]> batch) throws SQLException {
        StringBuilder sql = new StringBuilder("insert into ceiling_event (partner_id, event_id, event_time, model, "
                + "metric, quantity, revenue, currency, payload) values ");
        for (int i = 0; i < batch.count(); i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?,?)");
        }
        sql.append(" on conflict do nothing");
        try (PreparedStatement ps = db.prepareStatement(sql.toString())) {
            int i = 1;
            for (ConsumerRecord<String, byte[]> r : batch) {
                JsonNode e;
                try {
                    e = Api.JSON.readTree(r.value());
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
                JsonNode data = e.path("data");
                JsonNode revenue = data.path("revenue");
                ps.setString(i++, e.path("partnerid").asText());
                ps.setString(i++, e.path("id").asText());
                ps.setObject(i++, OffsetDateTime.parse(e.path("time").asText()));
                ps.setString(i++, data.path("model").asText());
                ps.setString(i++, data.path("metric").asText());
                ps.setLong(i++, Long.parseLong(data.path("quantity").asText()));
                ps.setBigDecimal(i++, revenue.isMissingNode() ? null : new BigDecimal(revenue.path("amount").asText()));
                ps.setString(i++, revenue.isMissingNode() ? null : revenue.path("currency").asText());
                ps.setString(i++, new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
            }
            ps.executeUpdate();
        }
    }
}
