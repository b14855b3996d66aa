package com.revshare.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import com.revshare.infra.ProjectFiles;

/**
 * The ACL table of {@code deploy/kafka/acls.md} (between {@code <!-- acl-table:begin -->} and
 * {@code <!-- acl-table:end -->}): the one definition of revshare's Kafka ACLs, which the document shows
 * operators and this test creates on a real broker. A row with {@code <partnerId>} applies to every partner.
 */
record AclTable(List<Row> rows) {
    static final String PARTNER_PLACEHOLDER = "<partnerId>";

    /** One row: principal, resource type, pattern type, resource name, operations. */
    record Row(String principal, ResourceType resource, PatternType pattern, String name,
            List<AclOperation> operations) {

        boolean perPartner() {
            return principal.contains(PARTNER_PLACEHOLDER) || name.contains(PARTNER_PLACEHOLDER);
        }

        Row forPartner(String partnerId) {
            return new Row(principal.replace(PARTNER_PLACEHOLDER, partnerId), resource, pattern,
                    name.replace(PARTNER_PLACEHOLDER, partnerId), operations);
        }

        List<AclBinding> bindings() {
            ResourcePattern rp = new ResourcePattern(resource, name, pattern);
            return operations.stream().map(op -> new AclBinding(rp,
                    new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW))).toList();
        }

        /** Whether this row allows {@code operation} on the topic {@code topic}. */
        boolean allowsOnTopic(String topic, AclOperation operation) {
            if (resource != ResourceType.TOPIC || !operations.contains(operation)) {
                return false;
            }
            return pattern == PatternType.PREFIXED ? topic.startsWith(name) : topic.equals(name);
        }
    }

    static AclTable read() {
        return parse(ProjectFiles.root().resolve("deploy/kafka/acls.md"));
    }

    static AclTable parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int begin = text.indexOf("<!-- acl-table:begin -->");
        int end = text.indexOf("<!-- acl-table:end -->");
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(file + " has no acl-table markers");
        }
        List<Row> rows = new ArrayList<>();
        for (String line : text.substring(begin, end).split("\n")) {
            if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| principal")) {
                continue;
            }
            String[] cells = Arrays.stream(line.split("\\|")).map(c -> c.replace("`", "").trim())
                    .filter(c -> !c.isEmpty()).toArray(String[]::new);
            if (cells.length != 5) {
                throw new IllegalStateException("ACL row without 5 cells: " + line);
            }
            List<AclOperation> operations = Arrays.stream(cells[4].split(","))
                    .map(op -> AclOperation.valueOf(snake(op.trim()))).toList();
            rows.add(new Row(cells[0], ResourceType.valueOf(cells[1].toUpperCase(Locale.ROOT)),
                    PatternType.valueOf(cells[2].toUpperCase(Locale.ROOT)), cells[3], operations));
        }
        if (rows.isEmpty()) {
            throw new IllegalStateException(file + ": empty ACL table");
        }
        return new AclTable(List.copyOf(rows));
    }

    /** The rows for the given partners (each per-partner row once per partner) and every fixed row. */
    List<Row> expand(List<String> partnerIds) {
        List<Row> out = new ArrayList<>();
        for (Row row : rows) {
            if (row.perPartner()) {
                partnerIds.forEach(id -> out.add(row.forPartner(id)));
            } else {
                out.add(row);
            }
        }
        return out;
    }

    static List<AclBinding> bindings(List<Row> rows) {
        return rows.stream().flatMap(r -> r.bindings().stream()).toList();
    }

    /** Whether any of {@code rows} lets {@code principal} do {@code operation} on {@code topic}. */
    static boolean allows(List<Row> rows, String principal, String topic, AclOperation operation) {
        return rows.stream().anyMatch(r -> r.principal().equals(principal) && r.allowsOnTopic(topic, operation));
    }

    /** IdempotentWrite -> IDEMPOTENT_WRITE. */
    private static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
