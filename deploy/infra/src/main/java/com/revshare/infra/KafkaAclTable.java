package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACL tables of {@code deploy/kafka/acls.md}, the one definition of revshare's Kafka ACLs, read
 * once for every test that checks them: deploy/security's KafkaAclIT creates them on a real broker
 * and proves what they allow and deny, deploy/k8s's KafkaUserAclTest compares them with the
 * KafkaUsers. A table stands between two markers: the proven one between {@code <!-- acl-table:begin
 * -->} and {@code <!-- acl-table:end -->}, KEDA's documented exception between {@code <!--
 * acl-exception:keda:begin -->} and {@code <!-- acl-exception:keda:end -->}. Each row has five
 * cells (principal, resource type, pattern type, resource name, operations); a principal or name
 * with {@code <partnerId>} applies to every partner. Read into one {@link Acl} per operation, so
 * that a table row and a KafkaUser entry compare as sets whichever way either groups its
 * operations; a resource type, pattern or operation it does not know fails the read.
 */
public record KafkaAclTable(List<Acl> acls) {
    public static final String PARTNER_PLACEHOLDER = "<partnerId>";
    /** The name of the cluster resource, in the table and for Kafka. */
    public static final String CLUSTER_NAME = "kafka-cluster";
    public static final Path FILE = Path.of("deploy/kafka/acls.md");
    public static final String TABLE_BEGIN = "<!-- acl-table:begin -->";
    public static final String TABLE_END = "<!-- acl-table:end -->";
    public static final String KEDA_BEGIN = "<!-- acl-exception:keda:begin -->";
    public static final String KEDA_END = "<!-- acl-exception:keda:end -->";
    private static final Set<String> RESOURCES = Set.of("topic", "group", "cluster", "transactionalid");
    private static final Set<String> PATTERNS = Set.of("literal", "prefixed");
    /** Kafka's AclOperation names as the table and Strimzi spell them. */
    private static final Set<String> OPERATIONS = Set.of("All", "Read", "Write", "Create", "Delete", "Alter",
            "Describe", "ClusterAction", "DescribeConfigs", "AlterConfigs", "IdempotentWrite", "CreateTokens",
            "DescribeTokens");

    /**
     * One allowed operation: principal ({@code User:x}), resource type and pattern type (lower case,
     * as written), resource name, operation (as written: {@code IdempotentWrite}).
     */
    public record Acl(String principal, String resource, String pattern, String name, String operation) {
        @Override
        public String toString() {
            return principal + " " + operation + " " + resource + " " + pattern + " " + name;
        }

        public boolean perPartner() {
            return principal.contains(PARTNER_PLACEHOLDER) || name.contains(PARTNER_PLACEHOLDER);
        }

        public Acl forPartner(String partnerId) {
            return new Acl(principal.replace(PARTNER_PLACEHOLDER, partnerId), resource, pattern,
                    name.replace(PARTNER_PLACEHOLDER, partnerId), operation);
        }

        /** This ACL as Kafka's ALLOW binding from any host. */
        public AclBinding binding() {
            ResourcePattern rp = new ResourcePattern(ResourceType.valueOf(resource.toUpperCase(Locale.ROOT)), name,
                    PatternType.valueOf(pattern.toUpperCase(Locale.ROOT)));
            return new AclBinding(rp, new AccessControlEntry(principal, "*", kafkaOperation(), AclPermissionType.ALLOW));
        }

        /** IdempotentWrite → IDEMPOTENT_WRITE. */
        public AclOperation kafkaOperation() {
            return AclOperation.valueOf(operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        }

        /** Whether this ACL allows {@code operation} on the topic {@code topic}. */
        public boolean allowsOnTopic(String topic, AclOperation operation) {
            if (!resource.equals("topic") || kafkaOperation() != operation) {
                return false;
            }
            return pattern.equals("prefixed") ? topic.startsWith(name) : topic.equals(name);
        }
    }

    /** The proven table (the one KafkaAclIT creates on a broker). */
    public static KafkaAclTable proven() {
        return read(TABLE_BEGIN, TABLE_END);
    }

    /** The one documented exception: KEDA's lag scaler. */
    public static KafkaAclTable kedaException() {
        return read(KEDA_BEGIN, KEDA_END);
    }

    /** The table between two markers of the project's {@code deploy/kafka/acls.md}. */
    public static KafkaAclTable read(String beginMarker, String endMarker) {
        Path file = ProjectFiles.root().resolve(FILE);
        try {
            return parse(Files.readString(file), beginMarker, endMarker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table between two markers of {@code text}; a header, separator or prose line is skipped. */
    public static KafkaAclTable parse(String text, String beginMarker, String endMarker) {
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
        return new KafkaAclTable(List.copyOf(acls));
    }

    /** Every principal the table names ({@code User:partner-<partnerId>} as written). */
    public Set<String> principals() {
        return Set.copyOf(acls.stream().map(Acl::principal).toList());
    }

    /**
     * The table's ACLs for {@code principal}: the fixed rows naming it, or, if it is {@code User:partner-x}
     * for a per-partner principal template {@code User:partner-<partnerId>}, that template's rows for x.
     */
    public Set<Acl> forPrincipal(String principal) {
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
            if (at < 0) {
                // a fixed principal on per-partner resources: which partners' is not the table's to say
                throw new IllegalStateException("per-partner resource of a fixed principal: " + acl);
            }
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

    /** The ACLs for the given partners (each per-partner ACL once per partner) and every fixed one. */
    public List<Acl> expand(List<String> partnerIds) {
        List<Acl> out = new ArrayList<>();
        for (Acl acl : acls) {
            if (acl.perPartner()) {
                partnerIds.forEach(id -> out.add(acl.forPartner(id)));
            } else {
                out.add(acl);
            }
        }
        return out;
    }

    /** Kafka's bindings of {@code acls}. */
    public static List<AclBinding> bindings(List<Acl> acls) {
        return acls.stream().map(Acl::binding).toList();
    }

    /** Whether any of {@code acls} lets {@code principal} do {@code operation} on {@code topic}. */
    public static boolean allows(List<Acl> acls, String principal, String topic, AclOperation operation) {
        return acls.stream().anyMatch(a -> a.principal().equals(principal) && a.allowsOnTopic(topic, operation));
    }

    private static String known(String value, Set<String> allowed, String line) {
        if (!allowed.contains(value)) {
            throw new IllegalStateException(
                    "unknown '" + value + "' (expected one of " + allowed + ") in ACL row: " + line);
        }
        return value;
    }
}
