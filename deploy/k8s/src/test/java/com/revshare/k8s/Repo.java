package com.revshare.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Files of the repository these tests compare: the overlays, the services' configuration. */
final class Repo {
    static final List<String> SERVICES = List.of("ingest", "ledger", "reporting");
    static final List<String> OVERLAYS = List.of("dev", "prod");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)(?::(.*))?}");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_.]+)");

    private Repo() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("deploy/kubernetes")) && Files.exists(p.resolve("pom.xml")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static List<ObjectNode> overlay(String name) {
        return Kustomize.render(root().resolve("deploy/kubernetes").resolve(name));
    }

    /** A service's application.properties without profile-prefixed keys. */
    static Map<String, String> properties(String service) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(root().resolve(service + "-service/src/main/resources/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** The value a property takes when no environment variable is set: {@code ${VAR:default}} resolves to default. */
    static String defaultValue(String service, String key) {
        String raw = properties(service).get(key);
        if (raw == null) {
            throw new AssertionError(service + "-service's application.properties has no " + key);
        }
        return resolveDefault(raw);
    }

    private static String resolveDefault(String raw) {
        if (raw == null) {
            return null;
        }
        Matcher m = EXPRESSION.matcher(raw);
        return m.matches() ? resolveDefault(m.group(2)) : raw;
    }

    /** The environment variables a property reads, first choice first ({@code ${A:${B:default}}}: A, B). */
    static List<String> environmentVariables(String service, String key) {
        String raw = properties(service).get(key);
        return raw == null ? List.of() : VARIABLE.matcher(raw).results().map(r -> r.group(1)).toList();
    }

    /** The environment variable a property reads first, or null. */
    static String environmentVariable(String service, String key) {
        List<String> all = environmentVariables(service, key);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every environment variable the service's application.properties reads. */
    static List<String> environmentVariables(String service) {
        return properties(service).values().stream().flatMap(v -> VARIABLE.matcher(v).results().map(r -> r.group(1)))
                .distinct().toList();
    }

    /** The topic property a service consumes from (its consumer group's input). */
    static String inputTopic(String service) {
        return defaultValue(service, switch (service) {
            case "ingest" -> "revshare.topics.usage-raw";
            case "ledger" -> "revshare.topics.usage-accepted";
            case "reporting" -> "revshare.topics.ledger-entries";
            default -> throw new IllegalArgumentException(service);
        });
    }

    static String consumerGroup(String service) {
        return defaultValue(service, switch (service) {
            case "ingest" -> "revshare.ingest.group-id";
            case "ledger" -> "revshare.ledger.consumer.group-id";
            case "reporting" -> "revshare.reporting.consumer.group-id";
            default -> throw new IllegalArgumentException(service);
        });
    }

    /** The prefix of the per-partner raw topics ingest creates (revshare.usage.raw.<partnerId>). */
    static String partnerTopicPrefix() {
        String prefix = properties("ingest").containsKey(PARTNER_PREFIX) ? defaultValue("ingest", PARTNER_PREFIX) : null;
        return prefix != null ? prefix : inputTopic("ingest") + ".";
    }

    private static final String PARTNER_PREFIX = "revshare.topics.usage-raw-partner-prefix";

    /** Every topic name any service's configuration names (revshare.topics.*, not the per-partner prefix). */
    static Map<String, String> topics() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (String s : SERVICES) {
            properties(s).keySet().stream().filter(k -> k.startsWith("revshare.topics.") && !k.equals(PARTNER_PREFIX))
                    .forEach(k -> topics.put(k, defaultValue(s, k)));
        }
        return topics;
    }

    static int port(String service, String key) {
        return Integer.parseInt(defaultValue(service, key));
    }
}
