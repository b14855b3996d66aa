package com.revshare.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every resource of each overlay loads into its typed model (fabric8, Strimzi) or passes the
 * field checks of its operator kind (CloudNativePG, KEDA, Prometheus operator), and each overlay
 * has the shape it promises.
 */
class ManifestModelTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyResourceLoadsIntoItsModelWithNoUnknownOrMissingField(String overlay) {
        // given
        List<ObjectNode> resources = Repo.overlay(overlay);

        // when
        List<String> problems = new ArrayList<>();
        for (ObjectNode r : resources) {
            List<String> found = TypedModels.typed(r) ? TypedModels.problems(r)
                    : OperatorKinds.known(r) ? OperatorKinds.problems(r)
                    : List.of("no model and no check for kind " + TypedModels.key(r));
            found.forEach(p -> problems.add(Kustomize.id(r) + ": " + p));
        }

        // then
        assertTrue(problems.isEmpty(), overlay + ":\n  " + String.join("\n  ", problems));
        assertTrue(resources.size() > 30, "rendered only " + resources.size() + " resources");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void theOverlaySetsItsNamespaceOnEveryResource(String overlay) {
        String expected = overlay.equals("prod") ? "revshare" : "revshare-dev";
        for (ObjectNode r : Repo.overlay(overlay)) {
            assertEquals(expected, r.path("metadata").path("namespace").asText(), Kustomize.id(r));
        }
    }

    @org.junit.jupiter.api.Test
    void prodRunsThreeBrokersThreeSynchronousDatabaseInstancesAndBackups() {
        // given
        List<ObjectNode> prod = Repo.overlay("prod");

        // then
        assertEquals(3, brokers(prod));
        JsonNode cluster = one(prod, "Cluster");
        assertEquals(3, cluster.path("spec").path("instances").asInt());
        assertEquals(1, cluster.path("spec").path("postgresql").path("synchronous").path("number").asInt());
        assertTrue(cluster.path("spec").path("backup").path("barmanObjectStore").hasNonNull("destinationPath"));
        assertEquals("revshare-db", one(prod, "ScheduledBackup").path("spec").path("cluster").path("name").asText());
        for (JsonNode t : all(prod, "KafkaTopic")) {
            assertEquals(3, t.path("spec").path("replicas").asInt(), t.toString());
            assertEquals(2, t.path("spec").path("config").path("min.insync.replicas").asInt(), t.toString());
        }
        for (JsonNode d : all(prod, "Deployment")) {
            assertTrue(d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText()
                    .startsWith("registry.example.com/revshare/"), d.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void devRunsOneBrokerAndOneDatabaseInstanceWithReplicationFactorOne() {
        List<ObjectNode> dev = Repo.overlay("dev");

        assertEquals(1, brokers(dev));
        JsonNode cluster = one(dev, "Cluster");
        assertEquals(1, cluster.path("spec").path("instances").asInt());
        assertTrue(cluster.path("spec").path("postgresql").path("synchronous").isMissingNode());
        assertTrue(cluster.path("spec").path("backup").isMissingNode());
        for (JsonNode t : all(dev, "KafkaTopic")) {
            assertEquals(1, t.path("spec").path("replicas").asInt(), t.toString());
            assertEquals(1, t.path("spec").path("config").path("min.insync.replicas").asInt(), t.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void topicReplicationFitsTheBrokers(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        int brokers = brokers(resources);
        JsonNode config = one(resources, "Kafka").path("spec").path("kafka").path("config");
        assertTrue(config.path("offsets.topic.replication.factor").asInt() <= brokers);
        assertTrue(config.path("transaction.state.log.replication.factor").asInt() <= brokers);
        for (JsonNode t : all(resources, "KafkaTopic")) {
            int rf = t.path("spec").path("replicas").asInt();
            int isr = t.path("spec").path("config").path("min.insync.replicas").asInt();
            assertTrue(rf <= brokers, t.toString());
            assertTrue(isr >= 1 && (isr < rf || rf == 1), "min.insync.replicas must leave one replica to lose: " + t);
        }
    }

    static int brokers(List<ObjectNode> resources) {
        int n = 0;
        for (JsonNode pool : all(resources, "KafkaNodePool")) {
            for (JsonNode role : pool.path("spec").path("roles")) {
                if (role.asText().equals("broker")) {
                    n += pool.path("spec").path("replicas").asInt();
                }
            }
        }
        return n;
    }

    static List<ObjectNode> all(List<ObjectNode> resources, String kind) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
    }

    static ObjectNode one(List<ObjectNode> resources, String kind) {
        List<ObjectNode> found = all(resources, kind);
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }
}
