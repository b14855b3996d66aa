package com.revshare.k8s;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks of the operator kinds that publish no Java model on Maven Central, limited to the fields
 * these manifests use, written from each project's documentation (CloudNativePG 1.25+ API reference
 * "Cluster", "Database", "ScheduledBackup"; KEDA 2.x "ScaledObject specification", "Apache Kafka
 * scaler", "CPU scaler", "TriggerAuthentication"; Prometheus operator API "PodMonitor",
 * "PrometheusRule"). Every leaf field must match an allowed path (an unknown or misspelt field
 * fails), the required ones must be present, and typed leaves must have their documented type
 * (KEDA's trigger metadata and CloudNativePG's postgresql.parameters are string maps).
 */
final class OperatorKinds {
    record Schema(List<String> allowed, List<String> required, List<String> strings, List<String> integers,
            Map<String, Set<String>> enums) {
    }

    private static final List<String> COMMON = List.of("apiVersion", "kind", "metadata.name", "metadata.namespace",
            "metadata.labels.*", "metadata.annotations.*");

    static final Map<String, Schema> SCHEMAS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", new Schema(
                    List.of("spec.instances", "spec.imageName", "spec.postgresql.parameters.*",
                            "spec.postgresql.synchronous.method", "spec.postgresql.synchronous.number",
                            "spec.postgresql.synchronous.dataDurability", "spec.storage.size", "spec.storage.storageClass",
                            "spec.walStorage.size", "spec.resources.requests.*", "spec.resources.limits.*",
                            "spec.managed.roles[].name", "spec.managed.roles[].ensure", "spec.managed.roles[].login",
                            "spec.managed.roles[].passwordSecret.name", "spec.backup.retentionPolicy",
                            "spec.backup.barmanObjectStore.destinationPath",
                            "spec.backup.barmanObjectStore.s3Credentials.accessKeyId.name",
                            "spec.backup.barmanObjectStore.s3Credentials.accessKeyId.key",
                            "spec.backup.barmanObjectStore.s3Credentials.secretAccessKey.name",
                            "spec.backup.barmanObjectStore.s3Credentials.secretAccessKey.key",
                            "spec.backup.barmanObjectStore.wal.compression", "spec.backup.barmanObjectStore.data.compression"),
                    List.of("spec.instances", "spec.storage.size"),
                    List.of("spec.postgresql.parameters.*", "spec.storage.size", "spec.managed.roles[].name"),
                    List.of("spec.instances", "spec.postgresql.synchronous.number"),
                    Map.of("spec.postgresql.synchronous.method", Set.of("any", "first"),
                            "spec.postgresql.synchronous.dataDurability", Set.of("required", "preferred"),
                            "spec.managed.roles[].ensure", Set.of("present", "absent"),
                            "spec.backup.barmanObjectStore.wal.compression", Set.of("gzip", "bzip2", "lz4", "snappy", "xz", "zstd"),
                            "spec.backup.barmanObjectStore.data.compression", Set.of("gzip", "bzip2", "lz4", "snappy", "xz", "zstd"))),
            "postgresql.cnpg.io/v1/Database", new Schema(
                    List.of("spec.name", "spec.owner", "spec.cluster.name"),
                    List.of("spec.name", "spec.owner", "spec.cluster.name"),
                    List.of("spec.name", "spec.owner", "spec.cluster.name"), List.of(), Map.of()),
            "postgresql.cnpg.io/v1/ScheduledBackup", new Schema(
                    List.of("spec.schedule", "spec.backupOwnerReference", "spec.cluster.name"),
                    List.of("spec.schedule", "spec.cluster.name"),
                    List.of("spec.schedule"), List.of(),
                    Map.of("spec.backupOwnerReference", Set.of("none", "self", "cluster"))),
            "keda.sh/v1alpha1/ScaledObject", new Schema(
                    List.of("spec.scaleTargetRef.name", "spec.minReplicaCount", "spec.maxReplicaCount",
                            "spec.pollingInterval", "spec.cooldownPeriod", "spec.triggers[].type",
                            "spec.triggers[].metricType", "spec.triggers[].metadata.*",
                            "spec.triggers[].authenticationRef.name"),
                    List.of("spec.scaleTargetRef.name", "spec.triggers[].type"),
                    List.of("spec.triggers[].metadata.*"),
                    List.of("spec.minReplicaCount", "spec.maxReplicaCount", "spec.pollingInterval", "spec.cooldownPeriod"),
                    Map.of("spec.triggers[].type", Set.of("kafka", "cpu"),
                            "spec.triggers[].metricType", Set.of("Utilization", "AverageValue"))),
            "keda.sh/v1alpha1/TriggerAuthentication", new Schema(
                    List.of("spec.secretTargetRef[].parameter", "spec.secretTargetRef[].name", "spec.secretTargetRef[].key"),
                    List.of("spec.secretTargetRef[].parameter", "spec.secretTargetRef[].name", "spec.secretTargetRef[].key"),
                    List.of("spec.secretTargetRef[].parameter", "spec.secretTargetRef[].name", "spec.secretTargetRef[].key"),
                    List.of(), Map.of()),
            "monitoring.coreos.com/v1/PodMonitor", new Schema(
                    List.of("spec.selector.matchLabels.*", "spec.selector.matchExpressions[].key",
                            "spec.selector.matchExpressions[].operator", "spec.selector.matchExpressions[].values[]",
                            "spec.podMetricsEndpoints[].port", "spec.podMetricsEndpoints[].path",
                            "spec.podMetricsEndpoints[].interval"),
                    List.of("spec.selector", "spec.podMetricsEndpoints[].port"),
                    List.of("spec.podMetricsEndpoints[].port", "spec.podMetricsEndpoints[].path"), List.of(),
                    Map.of("spec.selector.matchExpressions[].operator", Set.of("In", "NotIn", "Exists", "DoesNotExist"))),
            "monitoring.coreos.com/v1/PrometheusRule", new Schema(
                    List.of("spec.groups[].name", "spec.groups[].rules[].alert", "spec.groups[].rules[].expr",
                            "spec.groups[].rules[].for", "spec.groups[].rules[].labels.*",
                            "spec.groups[].rules[].annotations.*"),
                    List.of("spec.groups[].name", "spec.groups[].rules[].alert", "spec.groups[].rules[].expr"),
                    List.of("spec.groups[].rules[].expr", "spec.groups[].rules[].for", "spec.groups[].rules[].labels.*",
                            "spec.groups[].rules[].annotations.*"),
                    List.of(), Map.of()));

    /** Trigger metadata keys each KEDA scaler documents (the ones that may appear here). */
    static final Map<String, Set<String>> TRIGGER_METADATA = Map.of(
            "kafka", Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold",
                    "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset", "excludePersistentLag",
                    "limitToPartitionsWithLag"),
            "cpu", Set.of("value"));
    static final Map<String, Set<String>> TRIGGER_REQUIRED = Map.of(
            "kafka", Set.of("bootstrapServers", "consumerGroup", "lagThreshold"),
            "cpu", Set.of("value"));

    private OperatorKinds() {
    }

    static boolean known(JsonNode r) {
        return SCHEMAS.containsKey(TypedModels.key(r));
    }

    static List<String> problems(JsonNode r) {
        Schema schema = SCHEMAS.get(TypedModels.key(r));
        List<String> problems = new ArrayList<>();
        List<Pattern> allowed = new ArrayList<>();
        for (String a : COMMON) {
            allowed.add(glob(a));
        }
        schema.allowed().forEach(a -> allowed.add(glob(a)));
        List<Map.Entry<String, JsonNode>> leaves = new ArrayList<>();
        flatten(r, "", leaves);
        for (Map.Entry<String, JsonNode> leaf : leaves) {
            String path = leaf.getKey();
            if (allowed.stream().noneMatch(p -> p.matcher(path).matches())) {
                problems.add("unknown field " + path);
            }
            if (schema.strings().stream().anyMatch(s -> glob(s).matcher(path).matches()) && !leaf.getValue().isTextual()) {
                problems.add(path + " must be a string, is " + leaf.getValue());
            }
            if (schema.integers().stream().anyMatch(s -> glob(s).matcher(path).matches()) && !leaf.getValue().isInt()) {
                problems.add(path + " must be an integer, is " + leaf.getValue());
            }
            schema.enums().forEach((p, values) -> {
                if (glob(p).matcher(path).matches() && !values.contains(leaf.getValue().asText())) {
                    problems.add(path + " must be one of " + values + ", is " + leaf.getValue());
                }
            });
        }
        for (String required : schema.required()) {
            if (!present(r, required.split("\\."), 0)) {
                problems.add("missing required field " + required);
            }
        }
        if (TypedModels.key(r).equals("keda.sh/v1alpha1/ScaledObject")) {
            for (JsonNode t : r.path("spec").path("triggers")) {
                String type = t.path("type").asText();
                Set<String> keys = TRIGGER_METADATA.getOrDefault(type, Set.of());
                t.path("metadata").fieldNames().forEachRemaining(k -> {
                    if (!keys.contains(k)) {
                        problems.add("trigger " + type + ": unknown metadata " + k);
                    }
                });
                for (String k : TRIGGER_REQUIRED.getOrDefault(type, Set.of())) {
                    if (!t.path("metadata").hasNonNull(k)) {
                        problems.add("trigger " + type + ": missing metadata " + k);
                    }
                }
            }
        }
        if (TypedModels.key(r).equals("postgresql.cnpg.io/v1/ScheduledBackup")
                && r.path("spec").path("schedule").asText().trim().split("\\s+").length != 6) {
            problems.add("spec.schedule must have six fields (seconds first), is " + r.path("spec").path("schedule"));
        }
        return problems;
    }

    /** Every element of each list along the path must hold the rest of it. */
    private static boolean present(JsonNode node, String[] parts, int i) {
        if (i == parts.length) {
            return node != null && !node.isNull() && !node.isMissingNode();
        }
        String part = parts[i];
        boolean list = part.endsWith("[]");
        JsonNode child = node.get(list ? part.substring(0, part.length() - 2) : part);
        if (child == null || child.isNull()) {
            return false;
        }
        if (list) {
            if (!child.isArray() || child.isEmpty()) {
                return false;
            }
            for (JsonNode item : child) {
                if (!present(item, parts, i + 1)) {
                    return false;
                }
            }
            return true;
        }
        return present(child, parts, i + 1);
    }

    private static void flatten(JsonNode node, String path, List<Map.Entry<String, JsonNode>> out) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.add(Map.entry(path, node));
            }
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                flatten(item, path + "[]", out);
            }
        } else {
            out.add(Map.entry(path, node));
        }
    }

    private static Pattern glob(String path) {
        // "*" is one map key of any name (keys may contain dots, e.g. label names); the rest is literal
        StringBuilder regex = new StringBuilder();
        for (String part : path.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".+");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
