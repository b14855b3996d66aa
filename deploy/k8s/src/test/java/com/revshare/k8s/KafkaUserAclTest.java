package com.revshare.k8s;

import static com.revshare.k8s.ManifestModelTest.all;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.KafkaAclTable;
import com.revshare.infra.KafkaAclTable.Acl;

/**
 * Issue 15 + 12: every Strimzi KafkaUser carries exactly the ACLs that deploy/kafka/acls.md's table gives
 * its principal (the table KafkaAclIT creates and proves on a real broker), nothing more and nothing
 * less; the only principal outside that table is KEDA's, whose rows are the file's documented exception.
 * Strimzi's SCRAM principal is {@code User:<KafkaUser name>}; its {@code prefix} pattern is Kafka's
 * {@code prefixed}; its cluster resource is Kafka's literal {@code kafka-cluster}.
 */
class KafkaUserAclTest {

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyKafkaUserHasExactlyItsPrincipalsRowsOfTheAclTable(String overlay) {
        // given the table, its KEDA exception and the rendered overlay's KafkaUsers
        KafkaAclTable proven = KafkaAclTable.proven();
        KafkaAclTable keda = KafkaAclTable.kedaException();
        List<ObjectNode> users = all(Repo.overlay(overlay), "KafkaUser");

        // when each user's ACLs are compared with its principal's rows
        List<String> problems = new ArrayList<>();
        for (JsonNode user : users) {
            String principal = "User:" + user.path("metadata").path("name").asText();
            Set<Acl> expected = new HashSet<>(proven.forPrincipal(principal));
            expected.addAll(keda.forPrincipal(principal));
            Set<Acl> actual = acls(user, principal, problems);
            if (expected.isEmpty()) {
                problems.add(principal + ": no row of deploy/kafka/acls.md names this principal");
                continue;
            }
            Set<String> missing = new TreeSet<>();
            expected.stream().filter(a -> !actual.contains(a)).forEach(a -> missing.add(a.toString()));
            Set<String> extra = new TreeSet<>();
            actual.stream().filter(a -> !expected.contains(a)).forEach(a -> extra.add(a.toString()));
            missing.forEach(a -> problems.add(principal + ": missing (the table has it) " + a));
            extra.forEach(a -> problems.add(principal + ": not in the table " + a));
        }

        // then there is no difference
        assertTrue(problems.isEmpty(), overlay + ":\n" + String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void everyPrincipalOfTheTableHasAKafkaUser(String overlay) {
        // given
        Set<String> users = new TreeSet<>();
        all(Repo.overlay(overlay), "KafkaUser").forEach(u -> users.add("User:" + u.path("metadata").path("name").asText()));
        Set<String> principals = new TreeSet<>(KafkaAclTable.proven().principals());
        principals.addAll(KafkaAclTable.kedaException().principals());

        // when
        List<String> problems = new ArrayList<>();
        for (String principal : principals) {
            int at = principal.indexOf(KafkaAclTable.PARTNER_PLACEHOLDER);
            boolean present = at < 0 ? users.contains(principal)
                    : users.stream().anyMatch(u -> u.startsWith(principal.substring(0, at)));
            if (!present) {
                problems.add(principal + (at < 0 ? " has no KafkaUser" : " has no example KafkaUser"));
            }
        }

        // then: every service, KEDA and (by example) the partners can authenticate
        assertTrue(problems.isEmpty(), overlay + ": users " + users + "\n" + String.join("\n", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void kedaAuthenticatesAsThePrincipalOfItsExceptionRowsWhichCoverItsTriggers(String overlay) {
        // given the Secret KEDA's TriggerAuthentication reads its user name from
        List<ObjectNode> resources = Repo.overlay(overlay);
        JsonNode ref = null;
        for (JsonNode auth : all(resources, "TriggerAuthentication")) {
            for (JsonNode t : auth.path("spec").path("secretTargetRef")) {
                if (t.path("parameter").asText().equals("username")) {
                    ref = t;
                }
            }
        }
        assertTrue(ref != null, "no TriggerAuthentication with a username");
        String secret = ref.path("name").asText();
        String key = ref.path("key").asText();
        String username = all(resources, "Secret").stream()
                .filter(s -> s.path("metadata").path("name").asText().equals(secret))
                .map(s -> s.path("stringData").path(key).asText()).findFirst()
                .orElseThrow(() -> new AssertionError("no Secret " + secret));

        // when / then: that user is the exception's principal
        KafkaAclTable keda = KafkaAclTable.kedaException();
        assertEquals(keda.principals(), Set.of("User:" + username));
        // and its rows let it Describe every topic and group a kafka trigger scales on
        List<String> problems = new ArrayList<>();
        for (JsonNode so : all(resources, "ScaledObject")) {
            for (JsonNode t : so.path("spec").path("triggers")) {
                if (t.path("type").asText().equals("kafka")) {
                    for (String[] rg : List.of(new String[] { "topic", t.path("metadata").path("topic").asText() },
                            new String[] { "group", t.path("metadata").path("consumerGroup").asText() })) {
                        if (!rg[1].isEmpty() && keda.acls().stream().noneMatch(a -> a.resource().equals(rg[0])
                                && a.operation().equals("Describe")
                                && (a.pattern().equals("prefixed") ? rg[1].startsWith(a.name()) : rg[1].equals(a.name())))) {
                            problems.add(so.path("metadata").path("name").asText() + ": KEDA may not Describe " + rg[0] + " " + rg[1]);
                        }
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aPerPartnerRowAppliesToEveryPartnerPrincipalAndNoOther() {
        // given
        KafkaAclTable table = KafkaAclTable.parse("""
                <!-- t:begin -->
                | principal | resource | pattern | name | operations |
                |---|---|---|---|---|
                | `User:partner-<partnerId>` | topic | literal | `raw.<partnerId>` | Write, Describe |
                | `User:ingest` | topic | prefixed | `raw.` | Read |
                <!-- t:end -->
                """, "<!-- t:begin -->", "<!-- t:end -->");

        // when
        Set<Acl> acme = table.forPrincipal("User:partner-acme");

        // then
        assertEquals(Set.of(new Acl("User:partner-acme", "topic", "literal", "raw.acme", "Write"),
                new Acl("User:partner-acme", "topic", "literal", "raw.acme", "Describe")), acme);
        assertEquals(Set.of(new Acl("User:ingest", "topic", "prefixed", "raw.", "Read")), table.forPrincipal("User:ingest"));
        assertEquals(Set.of(), table.forPrincipal("User:partner-"));
        assertEquals(Set.of(), table.forPrincipal("User:ledger"));
    }

    /** A KafkaUser's simple-authorization ACLs, one {@link Acl} per operation, in the table's terms. */
    static Set<Acl> acls(JsonNode user, String principal, List<String> problems) {
        JsonNode authorization = user.path("spec").path("authorization");
        if (!authorization.path("type").asText().equals("simple")) {
            problems.add(principal + ": authorization type " + authorization.path("type") + ", not simple");
        }
        Map<String, Integer> seen = new TreeMap<>();
        Set<Acl> out = new HashSet<>();
        for (JsonNode entry : authorization.path("acls")) {
            JsonNode res = entry.path("resource");
            String type = res.path("type").asText();
            if (!entry.path("type").asText("allow").equals("allow")) {
                problems.add(principal + ": a " + entry.path("type").asText() + " rule, the table has allow rules only: " + entry);
            }
            if (!entry.path("host").asText("*").equals("*")) {
                problems.add(principal + ": host " + entry.path("host").asText() + ", the table allows from any host: " + entry);
            }
            String pattern = switch (res.path("patternType").asText("literal")) {
                case "literal" -> "literal";
                case "prefix" -> "prefixed";
                default -> {
                    problems.add(principal + ": pattern type " + res.path("patternType") + ": " + entry);
                    yield res.path("patternType").asText();
                }
            };
            String name = type.equals("cluster") ? KafkaAclTable.CLUSTER_NAME : res.path("name").asText();
            if (!entry.path("operations").isArray() || entry.path("operations").isEmpty()) {
                problems.add(principal + ": an ACL without operations: " + entry);
            }
            for (JsonNode op : entry.path("operations")) {
                Acl acl = new Acl(principal, type.toLowerCase(java.util.Locale.ROOT), pattern, name, op.asText());
                out.add(acl);
                seen.merge(acl.toString(), 1, Integer::sum);
            }
        }
        seen.forEach((acl, n) -> {
            if (n > 1) {
                problems.add(principal + ": " + acl + " given " + n + " times");
            }
        });
        return out;
    }
}
