package com.revshare.benchmark;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.Topics;

/**
 * Reference (b), the naive design: a faithful model of the same three-stage pipeline (ingest:
 * store the event under its idempotency key and forward it; ledger: look up the agreement,
 * check for an existing entry, take the partner's next sequence, store and publish the entry;
 * reporting: apply the entry in sequence order to a period total) where every stage handles
 * ONE event per database transaction, publishes it synchronously and commits its Kafka offset
 * per event. The three stages run concurrently, like the services; the figure is the
 * end-to-end rate from the first raw record read to the last entry applied.
 */
final class NaiveReference {
    /** The reference's figures; {@code moneyMatches} = its period totals equal the independent sum. */
    record Result(long records, long uniqueEvents, double seconds, double eventsPerSecond, boolean moneyMatches) {
    }

    private static final Duration POLL = Duration.ofMillis(100);

    private NaiveReference() {
    }

    static Result run(Infrastructure infra, String runId, List<String> partnerIds, FeedGenerator generator,
            Expected expected, long records) throws Exception {
        String raw = "bench.naive.raw." + runId;
        String accepted = "bench.naive.accepted." + runId;
        String entries = "bench.naive.entries." + runId;
        BenchTopics.create(infra.kafkaBootstrap(), List.of(new Topics.Spec(raw, 4, Map.of()),
                new Topics.Spec(accepted, 4, Map.of()), new Topics.Spec(entries, 4, Map.of())));
        String jdbc = infra.createDatabase("bench_reference");
        try (Connection c = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword());
                Statement s = c.createStatement()) {
            s.execute("drop table if exists naive_event, naive_agreement, naive_partner, naive_entry, naive_cursor, "
                    + "naive_rm_entry, naive_rm_period");
            s.execute("create table naive_event (partner_id varchar(63), event_id varchar(128), payload text, "
                    + "primary key (partner_id, event_id))");
            s.execute("create table naive_agreement (partner_id varchar(63) primary key, workload_partner text)");
            s.execute("create table naive_partner (partner_id varchar(63) primary key, last_sequence bigint)");
            s.execute("create table naive_entry (partner_id varchar(63), sequence bigint, event_id varchar(128), "
                    + "amount numeric(38,8), payload text, primary key (partner_id, sequence))");
            s.execute("create index on naive_entry (partner_id, event_id)");
            s.execute("create table naive_cursor (partner_id varchar(63) primary key, applied bigint)");
            s.execute("create table naive_rm_entry (partner_id varchar(63), sequence bigint, payload text, "
                    + "primary key (partner_id, sequence))");
            s.execute("create table naive_rm_period (partner_id varchar(63), period char(7), total numeric(38,8), "
                    + "events bigint, primary key (partner_id, period))");
            try (PreparedStatement ps = c.prepareStatement("insert into naive_agreement values (?, ?)")) {
                for (int i = 0; i < partnerIds.size(); i++) {
                    ps.setString(1, partnerIds.get(i));
                    ps.setString(2, Workload.PARTNERS.get(i).baseId());
                    ps.executeUpdate();
                }
            }
        }
        try (RawProducer producer = new RawProducer(infra.kafkaBootstrap())) {
            producer.produce(raw, generator, 'N', records, 0, null);
        }
        long unique = expected.uniqueEvents();

        AtomicLong firstRead = new AtomicLong(Long.MAX_VALUE);
        AtomicLong applied = new AtomicLong();
        AtomicLong lastApplied = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> stages = new ArrayList<>();
        stages.add(stage("naive-ingest", failure, applied, unique, () ->
                new Ingest(infra, jdbc, raw, accepted, "bench-naive-ingest-" + runId, firstRead)));
        stages.add(stage("naive-ledger", failure, applied, unique, () ->
                new Ledger(infra, jdbc, accepted, entries, "bench-naive-ledger-" + runId)));
        stages.add(stage("naive-reporting", failure, applied, unique, () ->
                new Reporting(infra, jdbc, entries, "bench-naive-reporting-" + runId, applied, lastApplied)));
        for (Thread t : stages) {
            t.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("naive reference failed", failure.get());
        }
        BigDecimal total;
        try (Connection c = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select coalesce(sum(total), 0) from naive_rm_period")) {
            rs.next();
            total = rs.getBigDecimal(1);
        }
        BigDecimal want = BigDecimal.ZERO;
        for (var periods : expected.byPartner().values()) {
            for (Expected.Totals t : periods.values()) {
                want = want.add(t.total());
            }
        }
        BenchTopics.delete(infra.kafkaBootstrap(), List.of(raw, accepted, entries));
        double seconds = (lastApplied.get() - firstRead.get()) / 1e9;
        return new Result(records, unique, seconds, unique / seconds, total.compareTo(want) == 0);
    }

    /** One stage's per-record work, in its own transaction. */
    private interface Step extends AutoCloseable {
        /** Handles one record; true when it should stop. */
        boolean handle(ConsumerRecord<String, String> record) throws Exception;

        KafkaConsumer<String, String> consumer();

        @Override
        void close() throws Exception;
    }

    private interface StepFactory {
        Step create() throws Exception;
    }

    private static Thread stage(String name, AtomicReference<Throwable> failure, AtomicLong applied, long unique,
            StepFactory factory) {
        Thread t = new Thread(() -> {
            try (Step step = factory.create()) {
                while (failure.get() == null && applied.get() < unique) {
                    for (ConsumerRecord<String, String> r : step.consumer().poll(POLL)) {
                        step.handle(r);
                        // one offset commit per event: the naive design's defining cost
                        step.consumer().commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                                new OffsetAndMetadata(r.offset() + 1)));
                    }
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.start();
        return t;
    }

    private static KafkaConsumer<String, String> newConsumer(Infrastructure infra, String topic, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props);
        c.subscribe(List.of(topic));
        return c;
    }

    private static KafkaProducer<String, String> newProducer(Infrastructure infra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(props);
    }

    private static Connection connection(Infrastructure infra, String jdbc) throws SQLException {
        Connection c = DriverManager.getConnection(jdbc, infra.pgUser(), infra.pgPassword());
        c.setAutoCommit(false);
        return c;
    }

    /** Naive ingest: parse, check, store under the idempotency key, forward synchronously. */
    private static final class Ingest implements Step {
        private final KafkaConsumer<String, String> consumer;
        private final KafkaProducer<String, String> producer;
        private final Connection db;
        private final String out;
        private final AtomicLong firstRead;

        Ingest(Infrastructure infra, String jdbc, String in, String out, String group, AtomicLong firstRead)
                throws SQLException {
            this.consumer = newConsumer(infra, in, group);
            this.producer = newProducer(infra);
            this.db = connection(infra, jdbc);
            this.out = out;
            this.firstRead = firstRead;
        }

        @Override
        public KafkaConsumer<String, String> consumer() {
            return consumer;
        }

        @Override
        public boolean handle(ConsumerRecord<String, String> r) throws Exception {
            firstRead.accumulateAndGet(System.nanoTime(), Math::min);
            JsonNode e = Api.JSON.readTree(r.value());
            JsonNode data = e.path("data");
            for (String f : List.of("specversion", "id", "source", "type", "time", "partnerid")) {
                if (e.path(f).isMissingNode()) {
                    throw new IllegalStateException("generated event without " + f);
                }
            }
            String partner = e.path("partnerid").asText();
            String id = e.path("id").asText();
            boolean inserted;
            try (PreparedStatement ps = db.prepareStatement(
                    "insert into naive_event values (?, ?, ?) on conflict do nothing")) {
                ps.setString(1, partner);
                ps.setString(2, id);
                ps.setString(3, r.value());
                inserted = ps.executeUpdate() == 1;
            }
            db.commit();
            if (inserted) {
                ObjectNode n = Api.JSON.createObjectNode();
                n.put("partnerId", partner).put("eventId", id)
                        .put("time", OffsetDateTime.parse(e.path("time").asText()).toInstant().toString())
                        .put("model", data.path("model").asText()).put("metric", data.path("metric").asText())
                        .put("quantity", Long.parseLong(data.path("quantity").asText()));
                if (!data.path("revenue").isMissingNode()) {
                    n.put("revenue", new BigDecimal(data.path("revenue").path("amount").asText()).toPlainString())
                            .put("currency", data.path("revenue").path("currency").asText());
                }
                producer.send(new ProducerRecord<>(out, partner, Api.JSON.writeValueAsString(n))).get();
            }
            return false;
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            producer.close();
            db.close();
        }
    }

    /** Naive ledger: per event, read the agreement, SELECT before INSERT, lock the partner's sequence. */
    private static final class Ledger implements Step {
        private final KafkaConsumer<String, String> consumer;
        private final KafkaProducer<String, String> producer;
        private final Connection db;
        private final String out;
        private final Map<String, Workload.Partner> byBaseId = new LinkedHashMap<>();

        Ledger(Infrastructure infra, String jdbc, String in, String out, String group) throws SQLException {
            this.consumer = newConsumer(infra, in, group);
            this.producer = newProducer(infra);
            this.db = connection(infra, jdbc);
            this.out = out;
            Workload.PARTNERS.forEach(p -> byBaseId.put(p.baseId(), p));
        }

        @Override
        public KafkaConsumer<String, String> consumer() {
            return consumer;
        }

        @Override
        public boolean handle(ConsumerRecord<String, String> r) throws Exception {
            JsonNode e = Api.JSON.readTree(r.value());
            String partnerId = e.path("partnerId").asText();
            String eventId = e.path("eventId").asText();
            Workload.Partner partner;
            try (PreparedStatement ps = db.prepareStatement("select workload_partner from naive_agreement where partner_id = ?")) {
                ps.setString(1, partnerId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    partner = byBaseId.get(rs.getString(1));
                }
            }
            try (PreparedStatement ps = db.prepareStatement("select 1 from naive_entry where partner_id = ? and event_id = ?")) {
                ps.setString(1, partnerId);
                ps.setString(2, eventId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        db.commit();
                        return false;
                    }
                }
            }
            long sequence;
            try (PreparedStatement ps = db.prepareStatement(
                    "insert into naive_partner values (?, 0) on conflict (partner_id) do update set last_sequence = "
                            + "naive_partner.last_sequence + 1 returning last_sequence")) {
                ps.setString(1, partnerId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sequence = rs.getLong(1) + 1;
                }
            }
            Instant time = Instant.parse(e.path("time").asText());
            BigDecimal revenue = e.hasNonNull("revenue") ? new BigDecimal(e.path("revenue").asText()) : null;
            BigDecimal amount = Workload.share(partner, e.path("model").asText(), e.path("metric").asText(),
                    e.path("quantity").asLong(), revenue, e.path("currency").asText("USD"),
                    LocalDate.ofInstant(time, ZoneOffset.UTC));
            ObjectNode entry = Api.JSON.createObjectNode();
            entry.put("partnerId", partnerId).put("sequence", sequence).put("usageEventId", eventId)
                    .put("period", time.toString().substring(0, 7)).put("amount", amount.toPlainString());
            String json = Api.JSON.writeValueAsString(entry);
            try (PreparedStatement ps = db.prepareStatement("insert into naive_entry values (?, ?, ?, ?, ?)")) {
                ps.setString(1, partnerId);
                ps.setLong(2, sequence);
                ps.setString(3, eventId);
                ps.setBigDecimal(4, amount);
                ps.setString(5, json);
                ps.executeUpdate();
            }
            db.commit();
            producer.send(new ProducerRecord<>(out, partnerId, json)).get();
            return false;
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            producer.close();
            db.close();
        }
    }

    /** Naive reporting: per entry, lock the partner's cursor, store the entry, upsert the period total. */
    private static final class Reporting implements Step {
        private final KafkaConsumer<String, String> consumer;
        private final Connection db;
        private final AtomicLong applied;
        private final AtomicLong lastApplied;

        Reporting(Infrastructure infra, String jdbc, String in, String group, AtomicLong applied, AtomicLong lastApplied)
                throws SQLException {
            this.consumer = newConsumer(infra, in, group);
            this.db = connection(infra, jdbc);
            this.applied = applied;
            this.lastApplied = lastApplied;
        }

        @Override
        public KafkaConsumer<String, String> consumer() {
            return consumer;
        }

        @Override
        public boolean handle(ConsumerRecord<String, String> r) throws Exception {
            JsonNode e = Api.JSON.readTree(r.value());
            String partnerId = e.path("partnerId").asText();
            long sequence = e.path("sequence").asLong();
            long cursor;
            try (PreparedStatement ps = db.prepareStatement(
                    "insert into naive_cursor values (?, 0) on conflict (partner_id) do update set applied = "
                            + "naive_cursor.applied returning applied")) {
                ps.setString(1, partnerId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    cursor = rs.getLong(1);
                }
            }
            if (sequence <= cursor) {
                db.commit();
                return false;
            }
            try (PreparedStatement ps = db.prepareStatement("insert into naive_rm_entry values (?, ?, ?)")) {
                ps.setString(1, partnerId);
                ps.setLong(2, sequence);
                ps.setString(3, r.value());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "insert into naive_rm_period values (?, ?, ?, 1) on conflict (partner_id, period) do update set "
                            + "total = naive_rm_period.total + excluded.total, events = naive_rm_period.events + 1")) {
                ps.setString(1, partnerId);
                ps.setString(2, e.path("period").asText());
                ps.setBigDecimal(3, new BigDecimal(e.path("amount").asText()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement("update naive_cursor set applied = ? where partner_id = ?")) {
                ps.setLong(1, sequence);
                ps.setString(2, partnerId);
                ps.executeUpdate();
            }
            db.commit();
            applied.incrementAndGet();
            lastApplied.set(System.nanoTime());
            return false;
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            db.close();
        }
    }
}
