package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The test infrastructure itself: a real broker and PostgreSQL, topics, databases and verifiable tokens. */
class InfrastructureTest {
    private final Infrastructure infra = Infrastructure.shared();

    @Test
    void brokerCreatesEverySpecTopicAndRoundTripsARecord() throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        try (Admin client = Admin.create(admin)) {
            Set<String> names = client.listTopics().names().get();
            for (Topics.Spec spec : Topics.ALL) {
                assertTrue(names.contains(spec.name()), spec.name() + " in " + names);
            }
            String policy = client.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, Topics.PARTNERS)))
                    .all().get().values().iterator().next().get("cleanup.policy").value();
            assertEquals("compact", policy);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.USAGE_REJECTED, "k", "infra-roundtrip")).get();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = List.of(new TopicPartition(Topics.USAGE_REJECTED, 0),
                    new TopicPartition(Topics.USAGE_REJECTED, 1));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            boolean found = false;
            long deadline = System.currentTimeMillis() + 20_000;
            while (!found && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    found |= "infra-roundtrip".equals(r.value());
                }
            }
            assertTrue(found, "the record produced is consumed back");
        }
    }

    @Test
    void databasesAreCreatedOnceAndUsable() throws Exception {
        String url = infra.createDatabase("infra_check");
        assertEquals(url, infra.createDatabase("infra_check"));
        try (Connection conn = DriverManager.getConnection(url, infra.pgUser(), infra.pgPassword());
                Statement s = conn.createStatement();
                ResultSet rs = s.executeQuery("select current_database(), 0.1::numeric(38,8) * 3")) {
            rs.next();
            assertEquals("infra_check", rs.getString(1));
            assertEquals("0.30000000", rs.getBigDecimal(2).toPlainString());
        }
    }

    @Test
    void tokensAreRs256SignedByThePublishedKeyWithRevshareClaims() throws Exception {
        String token = TestTokens.partner("aws");
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        String pem = Files.readString(infra.jwt().publicKeyPath()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(key);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(verifier.verify(Base64.getUrlDecoder().decode(parts[2])));

        JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("RS256", header.get("alg").asText());
        assertEquals("revshare", claims.get("iss").asText());
        assertEquals("partner", claims.get("groups").get(0).asText());
        assertEquals("aws", claims.get("partner_id").asText());
        assertTrue(claims.get("exp").asLong() > claims.get("iat").asLong());
    }

    @Test
    void aKeyPairIsReusedWhereItExistsAndTokensJsonListsEveryRole(@TempDir Path dir) throws Exception {
        JwtKeys first = JwtKeys.loadOrCreate(dir);
        String publicPem = Files.readString(first.publicKeyPath());
        JwtKeys second = JwtKeys.loadOrCreate(dir);
        assertEquals(publicPem, Files.readString(second.publicKeyPath()));
        assertTrue(Files.readString(dir.resolve("private.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));

        Path tokens = second.writeTokens(List.of("aws", "azure"), Duration.ofDays(30));
        JsonNode json = new ObjectMapper().readTree(tokens.toFile());
        assertFalse(json.get("admin").asText().isEmpty());
        assertFalse(json.get("finance").asText().isEmpty());
        assertEquals(Set.of("aws", "azure"), Set.copyOf(iterable(json.get("partners").fieldNames())));
        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(json.get("finance").asText().split("\\.")[1]));
        long ttl = claims.get("exp").asLong() - claims.get("iat").asLong();
        assertEquals(Duration.ofDays(30).toSeconds(), ttl);
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
