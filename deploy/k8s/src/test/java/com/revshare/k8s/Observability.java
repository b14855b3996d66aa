package com.revshare.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The dashboard and the alert rules of deploy/observability, and the metric names they use. */
final class Observability {
    /**
     * Metrics that do not come from the services' /q/metrics, with their source: the services do
     * not export their consumers' lag, and the database connections are counted by PostgreSQL.
     */
    static final Map<String, String> EXTERNAL = Map.of(
            "kafka_consumergroup_lag", "Strimzi Kafka Exporter (Kafka spec.kafkaExporter)",
            "cnpg_backends_total", "CloudNativePG instance exporter");

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*+");

    private Observability() {
    }

    /** The metric names a PromQL expression selects (functions, keywords, labels and durations left out). */
    static Set<String> metricNames(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        s = RANGES.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String token = m.group();
            // an identifier followed by "(" is a function
            int end = m.end();
            while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
                end++;
            }
            if (end < s.length() && s.charAt(end) == '(' || KEYWORDS.contains(token)) {
                continue;
            }
            names.add(token);
        }
        return names;
    }

    static JsonNode dashboard() {
        try {
            return new ObjectMapper().readTree(Files.readString(Repo.root().resolve("deploy/observability/revshare-dashboard.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode rules() {
        return Kustomize.read(Repo.root().resolve("deploy/observability/prometheus-rules.yaml")).get(0);
    }

    static List<String> dashboardExpressions() {
        List<String> out = new ArrayList<>();
        dashboard().path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    static List<JsonNode> alerts() {
        List<JsonNode> out = new ArrayList<>();
        rules().path("spec").path("groups").forEach(g -> g.path("rules").forEach(out::add));
        return out;
    }

    /** Every metric name the dashboard and the alerts use. */
    static Set<String> allMetricNames() {
        Set<String> names = new TreeSet<>();
        dashboardExpressions().forEach(e -> names.addAll(metricNames(e)));
        alerts().forEach(a -> names.addAll(metricNames(a.path("expr").asText())));
        return names;
    }
}
