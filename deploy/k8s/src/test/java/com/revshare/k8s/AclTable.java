package com.revshare.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An ACL table of {@code deploy/kafka/acls.md}, read the way deploy/security's {@code AclTable} reads it
 * for KafkaAclIT (same markers, same five cells, same operation names): the proven table between
 * {@code <!-- acl-table:begin -->} and {@code <!-- acl-table:end -->}, or the KEDA exception between
 * {@code <!-- acl-exception:keda:begin -->} and {@code <!-- acl-exception:keda:end -->}. Kept to strings
 * (no Kafka client types): one {@link Acl} per operation, so a table row and a KafkaUser entry compare as
 * sets whatever way either groups its operations. Anything it does not recognise fails the read.
 */
record AclTable(List<Acl> acls) {
    static final String PARTNER_PLACEHOLDER = "<partnerId>";
    static final String CLUSTER_NAME = "kafka-cluster";
    static final Path FILE = Path.of("deploy/kafka/acls.md");
    private static final Set<String> RESOURCES = Set.of("topic", "group", "cluster", "transactionalid");
    private static final Set<String> PATTERNS = Set.of("literal", "prefixed");
    /** Kafka's AclOperation names as the table and Strimzi spell them. */
    private static final Set<String> OPERATIONS = Set.of("All", "Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "CreateTokens", "DescribeTokens");

    /** One allowed operation: principal ("User:x"), resource type, pattern type, resource name. */
    record Acl(String principal, String resource, String pattern, String name, String operation) {
        @Override
        public String toString() {
            return principal + " " + operation + " " + resource + " " + pattern + " " + name;
        }

        Acl forPartner(String partnerId) {
            return new Acl(principal.replace(PARTNER_PLACEHOLDER, partnerId), resource, pattern,
                    name.replace(PARTNER_PLACEHOLDER, partnerId), operation);
        }

        boolean perPartner() {
            return principal.contains(PARTNER_PLACEHOLDER) || name.contains(PARTNER_PLACEHOLDER);
        }
    }

    /** The proven table (KafkaAclIT's). */
    static AclTable proven() {
        return read("<!-- acl-table:begin -->", "<!-- acl-table:end -->");
    }

    /** The one documented exception: KEDA's lag scaler. */
    static AclTable kedaException() {
        return read("<!-- acl-exception:keda:begin -->", "<!-- acl-exception:keda:end -->");
    }

    static AclTable read(String beginMarker, String endMarker) {
        Path file = Repo.root().resolve(FILE);
        try {
            return parse(Files.readString(file), beginMarker, endMarker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AclTable parse(String text, String beginMarker, String endMarker) {
        int begin = text.indexOf(beginMarker);
        int end = text.indexOf(endMarker);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(FILE + " has no " + beginMarker + " ... " + endMarker);
        }
        List<Acl> acls = new ArrayList<>();
        for (String line : text.substring(begin, end).split("\n")) {
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| principal")) {
                continue;
            }
            String[] cells = Arrays.stream(line.split("\\|")).map(c -> c.replace("`", "").trim())
                    .filter(c -> !c.isEmpty()).toArray(String[]::new);
            if (cells.length != 5) {
                throw new IllegalStateException("ACL row without 5 cells: " + line);
            }
            String resource = known(cells[1].toLowerCase(Locale.ROOT), RESOURCES, line);
            String pattern = known(cells[2].toLowerCase(Locale.ROOT), PATTERNS, line);
            for (String op : cells[4].split(",")) {
                acls.add(new Acl(cells[0], resource, pattern, cells[3], known(op.trim(), OPERATIONS, line)));
            }
        }
        if (acls.isEmpty()) {
            throw new IllegalStateException(FILE + ": empty table between " + beginMarker + " and " + endMarker);
        }
        return new AclTable(List.copyOf(acls));
    }

    /** Every principal the table names ({@code User:partner-<partnerId>} as written). */
    Set<String> principals() {
        return Set.copyOf(acls.stream().map(Acl::principal).toList());
    }

    /**
     * The table's ACLs for {@code principal}: the fixed rows naming it, or, if it is {@code User:partner-x}
     * for a per-partner principal template {@code User:partner-<partnerId>}, that template's rows for x.
     */
    Set<Acl> forPrincipal(String principal) {
        List<Acl> out = new ArrayList<>();
        for (Acl acl : acls) {
            if (!acl.perPartner()) {
                if (acl.principal().equals(principal)) {
                    out.add(acl);
                }
                continue;
            }
            String template = acl.principal();
            int at = template.indexOf(PARTNER_PLACEHOLDER);
            String prefix = template.substring(0, at);
            String suffix = template.substring(at + PARTNER_PLACEHOLDER.length());
            if (principal.startsWith(prefix) && principal.endsWith(suffix)
                    && principal.length() > prefix.length() + suffix.length()) {
                String partnerId = principal.substring(prefix.length(), principal.length() - suffix.length());
                out.add(acl.forPartner(partnerId));
            }
        }
        return Set.copyOf(out);
    }

    private static String known(String value, Set<String> allowed, String line) {
        if (!allowed.contains(value)) {
            throw new IllegalStateException("unknown '" + value + "' (expected one of " + allowed + ") in ACL row: " + line);
        }
        return value;
    }
}
