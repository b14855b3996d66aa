package com.revshare.k8s;

import static com.revshare.k8s.ManifestModelTest.all;
import static com.revshare.k8s.ManifestModelTest.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The manifests agree with the code: topic names and consumer groups are the services'
 * configuration, every referenced Secret, ConfigMap (and key), Deployment, Kafka and PostgreSQL
 * cluster exists, ports and probes are the services' API and management ports, environment
 * variables are ones the services read, KEDA scales on existing groups and topics within their
 * partitions. Each test collects every mismatch and reports them together.
 */
class CrossReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void topicsAreExactlyTheOnesTheServicesUse(String overlay) {
        // given
        List<ObjectNode> resources = Repo.overlay(overlay);
        Set<String> configured = new TreeSet<>(Repo.topics().values());

        // when
        Set<String> declared = new TreeSet<>();
        all(resources, "KafkaTopic").forEach(t -> declared.add(topicName(t)));

        // then
        assertEquals(configured, declared, "KafkaTopics vs the services' revshare.topics.* (" + Repo.topics() + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void aclsNameOnlyExistingTopicsAndTheServicesGroups(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        Set<String> topics = new HashSet<>();
        all(resources, "KafkaTopic").forEach(t -> topics.add(topicName(t)));
        String rawPrefix = Repo.partnerTopicPrefix();
        List<String> problems = new ArrayList<>();
        for (JsonNode user : all(resources, "KafkaUser")) {
            String name = user.path("metadata").path("name").asText();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode res = acl.path("resource");
                String pattern = res.path("patternType").asText("literal");
                String topic = res.path("name").asText();
                if (res.path("type").asText().equals("topic") && pattern.equals("literal") && !topics.contains(topic)
                        && !topic.startsWith(rawPrefix)) {
                    problems.add(name + ": ACL on unknown topic " + topic);
                }
            }
        }
        // each service's KafkaUser is named as its principal in deploy/kafka/acls.md (User:ingest, ...);
        // KafkaUserAclTest checks that its ACLs are exactly the table's, this that they fit the configuration
        for (String service : Repo.SERVICES) {
            JsonNode user = byName(resources, "KafkaUser", service)
                    .orElseThrow(() -> new AssertionError("no KafkaUser " + service));
            if (!allows(user, "topic", Repo.inputTopic(service), "Read")) {
                problems.add(service + " cannot Read its input topic " + Repo.inputTopic(service));
            }
            if (!allows(user, "group", Repo.consumerGroup(service), "Read")) {
                problems.add(service + " cannot Read as group " + Repo.consumerGroup(service));
            }
        }
        JsonNode ingest = byName(resources, "KafkaUser", "ingest").orElseThrow();
        for (String topic : List.of(Repo.defaultValue("ingest", "revshare.topics.usage-accepted"),
                Repo.defaultValue("ingest", "revshare.topics.usage-rejected"))) {
            if (!allows(ingest, "topic", topic, "Write")) {
                problems.add("ingest cannot Write " + topic);
            }
        }
        if (!allows(ingest, "topic", rawPrefix + "some-partner", "Create")) {
            problems.add("ingest cannot Create the per-partner raw topics " + rawPrefix + "<partnerId>");
        }
        JsonNode partner = byName(resources, "KafkaUser", "partner-example").orElseThrow();
        if (!allows(partner, "topic", rawPrefix + "example", "Write")) {
            problems.add("partner-example cannot Write its own raw topic " + rawPrefix + "example");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void kedaScalesEachConsumerOnItsOwnGroupAndTopicWithinThePartitions(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        Map<String, Integer> partitions = new HashMap<>();
        all(resources, "KafkaTopic").forEach(t -> partitions.put(topicName(t), t.path("spec").path("partitions").asInt()));
        String bootstrap = bootstrap(resources);
        List<String> problems = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            String deployment = service + "-service";
            Optional<ObjectNode> so = all(resources, "ScaledObject").stream()
                    .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals(deployment)).findFirst();
            if (so.isEmpty()) {
                problems.add("no ScaledObject for " + deployment);
                continue;
            }
            JsonNode spec = so.get().path("spec");
            int max = spec.path("maxReplicaCount").asInt();
            boolean kafka = false;
            for (JsonNode t : spec.path("triggers")) {
                if (!t.path("type").asText().equals("kafka")) {
                    continue;
                }
                kafka = true;
                JsonNode m = t.path("metadata");
                check(problems, Repo.consumerGroup(service).equals(m.path("consumerGroup").asText()),
                        deployment + ": KEDA group " + m.path("consumerGroup") + ", the service's is " + Repo.consumerGroup(service));
                // ingest's group reads the shared raw topic and every partner's own (a pattern): its trigger must
                // name no topic, so KEDA sums the lag of all of them; the others read exactly one topic
                String topic = Repo.inputTopic(service);
                if (service.equals("ingest")) {
                    check(problems, !m.has("topic"), deployment + ": KEDA topic " + m.path("topic")
                            + " would leave the partner topics' lag out; the group reads " + topic + " and " + Repo.partnerTopicPrefix() + "*");
                } else {
                    check(problems, topic.equals(m.path("topic").asText()),
                            deployment + ": KEDA topic " + m.path("topic").asText() + ", the service consumes " + topic);
                }
                check(problems, partitions.containsKey(topic), deployment + ": " + topic + " is no KafkaTopic");
                check(problems, max <= partitions.getOrDefault(topic, 0),
                        deployment + ": maxReplicaCount " + max + " > partitions of " + topic + " " + partitions.get(topic));
                check(problems, bootstrap.equals(m.path("bootstrapServers").asText()),
                        deployment + ": KEDA bootstrap " + m.path("bootstrapServers") + ", Strimzi's is " + bootstrap);
                String auth = t.path("authenticationRef").path("name").asText();
                check(problems, byName(resources, "TriggerAuthentication", auth).isPresent(),
                        deployment + ": TriggerAuthentication " + auth + " does not exist");
            }
            check(problems, kafka, deployment + ": no kafka trigger");
            check(problems, byName(resources, "Deployment", deployment).isPresent(), "ScaledObject target " + deployment + " missing");
            check(problems, spec.path("minReplicaCount").asInt() <= max, deployment + ": minReplicaCount > maxReplicaCount");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyReferencedSecretConfigMapAndKeyExists(String overlay) {
        // given: what the overlay declares, plus what the operators create from it
        List<ObjectNode> resources = Repo.overlay(overlay);
        Map<String, Set<String>> secrets = new HashMap<>();
        Map<String, Set<String>> configMaps = new HashMap<>();
        for (JsonNode s : all(resources, "Secret")) {
            Set<String> keys = new HashSet<>();
            s.path("stringData").fieldNames().forEachRemaining(keys::add);
            s.path("data").fieldNames().forEachRemaining(keys::add);
            secrets.put(s.path("metadata").path("name").asText(), keys);
        }
        for (JsonNode c : all(resources, "ConfigMap")) {
            Set<String> keys = new HashSet<>();
            c.path("data").fieldNames().forEachRemaining(keys::add);
            configMaps.put(c.path("metadata").path("name").asText(), keys);
        }
        // Strimzi's User Operator: a Secret per KafkaUser (SCRAM); its Cluster Operator: the cluster CA
        for (JsonNode u : all(resources, "KafkaUser")) {
            secrets.putIfAbsent(u.path("metadata").path("name").asText(), Set.of("password", "sasl.jaas.config"));
        }
        secrets.put(one(resources, "Kafka").path("metadata").path("name").asText() + "-cluster-ca-cert",
                Set.of("ca.crt", "ca.p12", "ca.password"));

        // when
        List<String> problems = new ArrayList<>();
        for (ObjectNode r : resources) {
            collectReferences(r, "", r, secrets, configMaps, problems);
        }

        // then
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void databasesOwnersAndUrlsMatchTheServices(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        ObjectNode cluster = one(resources, "Cluster");
        String clusterName = cluster.path("metadata").path("name").asText();
        Map<String, String> owners = new HashMap<>();
        for (JsonNode db : all(resources, "Database")) {
            owners.put(db.path("spec").path("name").asText(), db.path("spec").path("owner").asText());
            assertEquals(clusterName, db.path("spec").path("cluster").path("name").asText(), db.toString());
        }
        Set<String> roles = new HashSet<>();
        cluster.path("spec").path("managed").path("roles").forEach(r -> roles.add(r.path("name").asText()));
        JsonNode config = byName(resources, "ConfigMap", "revshare-config").orElseThrow().path("data");
        List<String> problems = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            String database = "revshare_" + service;
            String urlVariable = Repo.environmentVariable(service, "quarkus.datasource.jdbc.url");
            String url = envValue(resources, service, urlVariable, config);
            String expected = "jdbc:postgresql://" + clusterName + "-rw:5432/" + database;
            check(problems, url != null && (url.equals(expected) || url.startsWith(expected + "?")),
                    service + ": " + urlVariable + " = " + url + ", expected " + expected + "[?...]");
            check(problems, owners.containsKey(database), "no Database " + database);
            check(problems, roles.contains(owners.get(database)), "owner " + owners.get(database) + " is no managed role");
            String userSecret = Repo.environmentVariables(service, "quarkus.datasource.username").stream()
                    .map(v -> secretOf(resources, service, v)).filter(s -> s != null).findFirst().orElse(null);
            Optional<ObjectNode> secret = byName(resources, "Secret", userSecret);
            check(problems, secret.isPresent() && owners.get(database) != null
                    && owners.get(database).equals(secret.get().path("stringData").path("username").asText()),
                    service + ": the database user Secret " + userSecret + " does not name the owner " + owners.get(database));
            for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
                if (role.path("name").asText().equals(owners.get(database))) {
                    check(problems, role.path("passwordSecret").path("name").asText().equals(userSecret),
                            service + ": role " + owners.get(database) + " takes its password from "
                                    + role.path("passwordSecret").path("name") + ", the service from " + userSecret);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void portsAndProbesAreTheServicesApiAndManagementPorts(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        List<String> problems = new ArrayList<>();
        Set<Integer> apiPorts = new HashSet<>();
        Set<Integer> managementPorts = new HashSet<>();
        for (String service : Repo.SERVICES) {
            int api = Repo.port(service, "quarkus.http.port");
            int management = Repo.port(service, "quarkus.management.port");
            apiPorts.add(api);
            managementPorts.add(management);
            String name = service + "-service";
            JsonNode container = container(resources, name);
            Map<String, Integer> named = new HashMap<>();
            container.path("ports").forEach(p -> named.put(p.path("name").asText(), p.path("containerPort").asInt()));
            check(problems, named.equals(Map.of("http", api, "management", management)),
                    name + ": container ports " + named + ", the service listens on http " + api + ", management " + management);
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                Integer port = resolve(get.path("port"), named);
                check(problems, port != null && port == management,
                        name + ": " + probe + " on port " + get.path("port") + ", the management port is " + management);
                check(problems, get.path("path").asText().startsWith("/q/health/"), name + ": " + probe + " path " + get.path("path"));
            }
            JsonNode svc = byName(resources, "Service", name).orElse(null);
            if (svc == null) {
                problems.add("no Service " + name);
            } else {
                for (JsonNode p : svc.path("spec").path("ports")) {
                    Integer target = resolve(p.path("targetPort").isMissingNode() ? p.path("port") : p.path("targetPort"), named);
                    check(problems, target != null && target == api, name + ": Service targets " + target + ", the API port is " + api);
                }
                check(problems, matches(svc.path("spec").path("selector"), podLabels(resources, name)),
                        name + ": Service selector matches no pod of the Deployment");
            }
            JsonNode pdb = byName(resources, "PodDisruptionBudget", name).orElse(null);
            check(problems, pdb != null && matches(pdb.path("spec").path("selector").path("matchLabels"), podLabels(resources, name)),
                    name + ": no PodDisruptionBudget selecting its pods");
        }
        for (JsonNode np : all(resources, "NetworkPolicy")) {
            String npName = np.path("metadata").path("name").asText();
            for (JsonNode rule : np.path("spec").path("ingress")) {
                boolean monitoring = rule.path("from").toString().contains("monitoring");
                for (JsonNode p : rule.path("ports")) {
                    int port = p.path("port").asInt();
                    check(problems, monitoring ? managementPorts.contains(port) : apiPorts.contains(port),
                            npName + ": port " + port + " is not a " + (monitoring ? "management" : "API") + " port");
                }
            }
        }
        for (JsonNode pm : all(resources, "PodMonitor")) {
            if (pm.path("metadata").path("name").asText().equals("revshare-services")) {
                pm.path("spec").path("podMetricsEndpoints").forEach(e -> check(problems,
                        e.path("port").asText().equals("management") && e.path("path").asText().equals("/q/metrics"),
                        "revshare-services PodMonitor scrapes " + e));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyEnvironmentVariableIsOneTheServiceReadsAndTheNeededOnesAreSet(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        List<String> problems = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            List<String> read = Repo.environmentVariables(service);
            Set<String> set = new HashSet<>();
            container(resources, service + "-service").path("env").forEach(e -> set.add(e.path("name").asText()));
            for (String name : set) {
                // KAFKA_*: Quarkus passes every kafka.* setting, from environment variables too, to the Kafka clients
                check(problems, read.contains(name) || name.startsWith("KAFKA_"),
                        service + ": " + name + " is set but " + service + "-service's application.properties does not read it");
            }
            for (String key : List.of("kafka.bootstrap.servers", "quarkus.datasource.jdbc.url", "quarkus.datasource.username",
                    "quarkus.datasource.password", "mp.jwt.verify.publickey.location")) {
                List<String> variables = Repo.environmentVariables(service, key);
                check(problems, variables.stream().anyMatch(set::contains), service + ": " + key + " (" + variables + ") is not set");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void strimziResourcesBelongToTheKafkaClusterAndItsBootstrapIsTheTlsListener(String overlay) {
        List<ObjectNode> resources = Repo.overlay(overlay);
        String kafka = one(resources, "Kafka").path("metadata").path("name").asText();
        for (String kind : List.of("KafkaNodePool", "KafkaTopic", "KafkaUser")) {
            for (JsonNode r : all(resources, kind)) {
                assertEquals(kafka, r.path("metadata").path("labels").path("strimzi.io/cluster").asText(), Kustomize.id(r));
            }
        }
        JsonNode config = byName(resources, "ConfigMap", "revshare-config").orElseThrow().path("data");
        assertEquals(bootstrap(resources), config.path("KAFKA_BOOTSTRAP").asText());
    }

    // ---------------------------------------------------------------------------------------------

    static String topicName(JsonNode topic) {
        return topic.path("spec").path("topicName").asText(topic.path("metadata").path("name").asText());
    }

    /** Strimzi's bootstrap Service for the one TLS listener: {@code <cluster>-kafka-bootstrap:<port>}. */
    static String bootstrap(List<ObjectNode> resources) {
        JsonNode kafka = one(resources, "Kafka");
        JsonNode listeners = kafka.path("spec").path("kafka").path("listeners");
        assertEquals(1, listeners.size(), "one listener");
        return kafka.path("metadata").path("name").asText() + "-kafka-bootstrap:" + listeners.get(0).path("port").asInt();
    }

    static Optional<ObjectNode> byName(List<ObjectNode> resources, String kind, String name) {
        return all(resources, kind).stream().filter(r -> r.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    private static boolean allows(JsonNode user, String type, String name, String operation) {
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode res = acl.path("resource");
            boolean prefix = res.path("patternType").asText("literal").equals("prefix");
            boolean nameMatches = prefix ? name.startsWith(res.path("name").asText()) : name.equals(res.path("name").asText());
            if (res.path("type").asText().equals(type) && nameMatches && acl.path("operations").toString().contains("\"" + operation + "\"")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode container(List<ObjectNode> resources, String deployment) {
        JsonNode d = byName(resources, "Deployment", deployment).orElseThrow(() -> new AssertionError("no Deployment " + deployment));
        JsonNode containers = d.path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), deployment + ": one container");
        return containers.get(0);
    }

    private static JsonNode podLabels(List<ObjectNode> resources, String deployment) {
        return byName(resources, "Deployment", deployment).orElseThrow().path("spec").path("template").path("metadata").path("labels");
    }

    private static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var it = selector.fields();
        while (it.hasNext()) {
            var f = it.next();
            if (!f.getValue().asText().equals(labels.path(f.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Integer resolve(JsonNode port, Map<String, Integer> named) {
        if (port.isInt()) {
            return port.asInt();
        }
        return named.get(port.asText());
    }

    private static String envValue(List<ObjectNode> resources, String service, String variable, JsonNode config) {
        for (JsonNode e : container(resources, service + "-service").path("env")) {
            if (e.path("name").asText().equals(variable)) {
                if (e.has("value")) {
                    return e.path("value").asText();
                }
                JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
                return ref.isMissingNode() ? null : config.path(ref.path("key").asText()).asText(null);
            }
        }
        return null;
    }

    private static String secretOf(List<ObjectNode> resources, String service, String variable) {
        for (JsonNode e : container(resources, service + "-service").path("env")) {
            if (e.path("name").asText().equals(variable)) {
                return e.path("valueFrom").path("secretKeyRef").path("name").asText(null);
            }
        }
        return null;
    }

    /** Finds every reference to a Secret or ConfigMap (with its key) anywhere in a resource. */
    private static void collectReferences(JsonNode node, String path, ObjectNode resource, Map<String, Set<String>> secrets,
            Map<String, Set<String>> configMaps, List<String> problems) {
        if (node.isObject()) {
            String where = Kustomize.id(resource) + " at " + path;
            if (path.endsWith(".secretKeyRef") || path.endsWith(".configMapKeyRef")) {
                Map<String, Set<String>> pool = path.endsWith(".secretKeyRef") ? secrets : configMaps;
                refer(pool, node.path("name").asText(), node.path("key").asText(), where, problems);
            } else if (path.endsWith(".secretRef") || path.endsWith(".configMapRef") || path.endsWith(".passwordSecret")) {
                Map<String, Set<String>> pool = path.endsWith(".configMapRef") ? configMaps : secrets;
                refer(pool, node.path("name").asText(), null, where, problems);
            } else if (path.endsWith("volumes[].secret")) {
                refer(secrets, node.path("secretName").asText(), null, where, problems);
                node.path("items").forEach(i -> refer(secrets, node.path("secretName").asText(), i.path("key").asText(), where, problems));
            } else if (path.endsWith(".secretTargetRef[]") || path.endsWith(".accessKeyId") || path.endsWith(".secretAccessKey")) {
                refer(secrets, node.path("name").asText(), node.path("key").asText(), where, problems);
            }
            var it = node.fields();
            while (it.hasNext()) {
                var f = it.next();
                collectReferences(f.getValue(), path + "." + f.getKey(), resource, secrets, configMaps, problems);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectReferences(item, path + "[]", resource, secrets, configMaps, problems);
            }
        }
    }

    private static void refer(Map<String, Set<String>> pool, String name, String key, String where, List<String> problems) {
        if (!pool.containsKey(name)) {
            problems.add(where + ": refers to " + name + ", which does not exist");
        } else if (key != null && !pool.get(name).contains(key)) {
            problems.add(where + ": refers to key " + key + " of " + name + ", which has only " + pool.get(name));
        }
    }

    static void check(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }
}
