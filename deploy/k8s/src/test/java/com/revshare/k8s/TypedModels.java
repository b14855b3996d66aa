package com.revshare.k8s;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Loads a rendered resource into the typed model its ecosystem publishes - fabric8's Kubernetes
 * model for core kinds, Strimzi's API model for Kafka, KafkaNodePool, KafkaTopic and KafkaUser -
 * and reports every problem: a field the model does not know (both models keep unknown fields in
 * "additionalProperties" instead of failing, so the loaded graph is walked for them), a property
 * the model marks required ({@code @JsonProperty(required = true)}, as Strimzi's API does) that is
 * missing, a field no property of the model takes, and a value that does not survive the round
 * trip (a wrong type coerced, a different apiVersion).
 */
final class TypedModels {
    static final Map<String, Class<?>> CLASSES = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class,
            "kafka.strimzi.io/v1/KafkaUser", KafkaUser.class);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private TypedModels() {
    }

    static String key(JsonNode r) {
        return r.path("apiVersion").asText() + "/" + r.path("kind").asText();
    }

    static boolean typed(JsonNode r) {
        return CLASSES.containsKey(key(r));
    }

    /** Problems of one resource (empty when it loads cleanly). */
    static List<String> problems(ObjectNode resource) {
        List<String> problems = new ArrayList<>();
        Class<?> type = CLASSES.get(key(resource));
        Object typed;
        try {
            typed = JSON.treeToValue(resource, type);
        } catch (Exception e) {
            problems.add("does not load into " + type.getName() + ": " + e.getMessage());
            return problems;
        }
        walk(typed, resource, "", problems);
        JsonNode back = JSON.valueToTree(typed);
        contained(resource, back, "", problems);
        return problems;
    }

    private static void walk(Object bean, JsonNode input, String path, List<String> problems) {
        if (bean == null) {
            return;
        }
        if (bean instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), input == null ? null : input.get(i), path + "[" + i + "]", problems);
            }
            return;
        }
        if (bean instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getValue(), input == null ? null : input.get(String.valueOf(e.getKey())), path + "." + e.getKey(), problems);
            }
            return;
        }
        String pkg = bean.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") || bean.getClass().isEnum()) {
            return;
        }
        java.util.Set<String> consumed = new java.util.HashSet<>();
        Object extras = null;
        for (Method m : bean.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.getName();
            if (name.equals("getAdditionalProperties")) {
                extras = invoke(m, bean);
                if (extras instanceof Map<?, ?> map && !map.isEmpty()) {
                    problems.add("unknown field(s) " + map.keySet() + " at " + (path.isEmpty() ? "." : path));
                }
                continue;
            }
            String property = propertyName(m);
            if (property == null || annotation(m, JsonIgnore.class) != null) {
                continue;
            }
            JsonProperty jp = annotation(m, JsonProperty.class);
            if (jp != null && !jp.value().isEmpty()) {
                property = jp.value();
            }
            consumed.add(property);
            JsonNode child = input == null ? null : input.get(property);
            if (jp != null && jp.required() && input != null && (child == null || child.isNull())) {
                problems.add("missing required field " + path + "." + property);
            }
            if (child != null) {
                walk(invoke(m, bean), child, path + "." + property, problems);
            }
        }
        if (input != null && input.isObject()) {
            Object known = extras;
            input.fieldNames().forEachRemaining(f -> {
                if (!consumed.contains(f) && !(known instanceof Map<?, ?> map && map.containsKey(f))
                        && !(bean instanceof io.fabric8.kubernetes.api.model.KubernetesResource && (f.equals("apiVersion") || f.equals("kind")))) {
                    problems.add("field " + path + "." + f + " is ignored by the model");
                }
            });
        }
    }

    private static String propertyName(Method m) {
        String n = m.getName();
        String base = n.startsWith("get") && n.length() > 3 ? n.substring(3) : n.startsWith("is") && n.length() > 2 ? n.substring(2) : null;
        return base == null ? null : Character.toLowerCase(base.charAt(0)) + base.substring(1);
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(Method m, Class<A> type) {
        A a = m.getAnnotation(type);
        if (a != null) {
            return a;
        }
        String property = propertyName(m);
        for (Class<?> c = m.getDeclaringClass(); c != null && property != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(property);
                return f.getAnnotation(type);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static Object invoke(Method m, Object bean) {
        try {
            return m.invoke(bean);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Every value of {@code input} is in {@code output} (the model may add defaults, not drop or change). */
    private static void contained(JsonNode input, JsonNode output, String path, List<String> problems) {
        if (input.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = input.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode out = output == null ? null : output.get(f.getKey());
                // a field the model leaves out on output holds its default (fields it does not know
                // or ignores are reported by walk)
                if (out != null && !out.isNull()) {
                    contained(f.getValue(), out, path + "." + f.getKey(), problems);
                }
            }
        } else if (input.isArray()) {
            if (output == null || !output.isArray() || output.size() != input.size()) {
                problems.add("list " + path + " changes in the model: " + output);
                return;
            }
            for (int i = 0; i < input.size(); i++) {
                contained(input.get(i), output.get(i), path + "[" + i + "]", problems);
            }
        } else if (!sameScalar(input, output)) {
            problems.add("value of " + path + " changes in the model: " + input + " -> " + output);
        }
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }
}
