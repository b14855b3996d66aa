package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults the chaos suite injects, on processes of their own (not the JVM's shared ones): a
 * broker killed with SIGKILL comes back on its port with its acknowledged records; PostgreSQL
 * crashed by an immediate shutdown comes back on its port with its committed rows.
 */
class FaultPrimitivesTest {

    @Test
    void aKilledBrokerRestartsOnItsPortWithItsRecordsAndTheTopicsRetention(@TempDir Path dir) throws Exception {
        // given a broker with the infrastructure's topics and one acknowledged record
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0, Duration.ofSeconds(90))) {
            Infrastructure infra = Infrastructure.of(kafka.bootstrapServers(), "jdbc:postgresql://unused", "u", "p",
                    null);
            infra.ensureTopics(Topics.ALL);
            try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, "p", "before-crash")).get();
            }
            long firstPid = kafka.pid();

            // when it is killed and restarted
            kafka.kill();
            assertFalse(kafka.isAlive());
            kafka.restart(Duration.ofSeconds(90));

            // then it serves on the same address with the record, and the topics keep their retention
            assertNotEquals(firstPid, kafka.pid());
            assertTrue(readAll(kafka.bootstrapServers(), Topics.USAGE_RAW, 4).contains("before-crash"));
            assertEquals(Topics.RETENTION_7_DAYS_MS, topicConfig(kafka.bootstrapServers(), Topics.USAGE_RAW,
                    "retention.ms"));
            assertEquals(Topics.RETENTION_30_DAYS_MS, topicConfig(kafka.bootstrapServers(), Topics.USAGE_REJECTED,
                    "retention.ms"));
            assertEquals("-1", topicConfig(kafka.bootstrapServers(), Topics.LEDGER_ENTRIES, "retention.ms"));
        }
    }

    @Test
    void crashedPostgresRestartsOnItsPortWithCommittedRowsOnly(@TempDir Path dir) throws Exception {
        // given a server with one committed row and one transaction left open
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.startCrashSafe(dir.resolve("pg"), 0)) {
            String url = pg.serverUrl() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("create table t (v text)");
                s.execute("insert into t values ('committed')");
            }
            Connection open = DriverManager.getConnection(url, "postgres", "postgres");
            open.setAutoCommit(false);
            open.createStatement().execute("insert into t values ('in flight')");
            long firstPid = pg.pid();

            // when it crashes
            pg.crash();

            // then the open connection is broken, and after a restart only the committed row is there
            assertEquals(-1, pg.pid());
            assertThrows(SQLException.class, () -> open.createStatement().execute("select 1"));
            open.close();
            pg.restart(Duration.ofSeconds(60));
            assertNotEquals(firstPid, pg.pid());
            List<String> rows = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select v from t")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            assertEquals(List.of("committed"), rows);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static List<String> readAll(String bootstrap, String topic, int partitions) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                parts.add(new TopicPartition(topic, i));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(30));
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }

    private static String topicConfig(String bootstrap, String topic, String key) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return client.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
        }
    }
}
