package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The secured broker of the test infrastructure: SCRAM users are authenticated, and only ACLs allow. */
class SecuredKafkaTest {
    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), Duration.ofSeconds(90));
        kafka.createTopics(List.of(new Topics.Spec("secured.allowed", 1, Map.of()),
                new Topics.Spec("secured.denied", 1, Map.of())));
        kafka.createScramUser("writer", "writer-secret");
        kafka.addAcls(List.of(new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "secured.allowed", PatternType.LITERAL),
                new AccessControlEntry("User:writer", "*", AclOperation.WRITE, AclPermissionType.ALLOW))));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aUserWritesWhereAnAclAllowsAndIsRefusedElsewhere() throws Exception {
        try (KafkaProducer<String, String> producer = producer("writer", "writer-secret")) {
            // when the user writes to the topic its ACL names, it succeeds
            assertEquals(0, producer.send(new ProducerRecord<>("secured.allowed", "k", "v")).get(30, TimeUnit.SECONDS)
                    .partition());
            // and to another topic the broker refuses it
            ExecutionException denied = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("secured.denied", "k", "v")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, denied.getCause());
        }
    }

    @Test
    void aWrongPasswordDoesNotAuthenticate() {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties("writer", "not-the-password"));
        props.put("request.timeout.ms", "5000");
        props.put("default.api.timeout.ms", "10000");
        try (Admin admin = Admin.create(props)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.listTopics().names().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    @Test
    void theInfrastructuresSuperUserAdministersTheBroker() throws Exception {
        try (Admin admin = kafka.admin()) {
            assertEquals(true, admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("secured.denied"));
        }
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(user, password));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
