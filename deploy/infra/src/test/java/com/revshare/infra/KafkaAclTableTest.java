package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import com.revshare.infra.KafkaAclTable.Acl;

/** The one reader of deploy/kafka/acls.md: what a table says, per partner, as Kafka bindings; what it refuses. */
class KafkaAclTableTest {
    private static final String TABLE = """
            prose | with a bar outside the table
            <!-- t:begin -->
            | principal | resource | pattern | name | operations |
            |---|---|---|---|---|
            | `User:partner-<partnerId>` | topic | literal | `raw.<partnerId>` | Write, Describe |
            | `User:partner-<partnerId>` | cluster | literal | `kafka-cluster` | IdempotentWrite |
            | `User:ingest` | topic | prefixed | `raw.` | Read |
            <!-- t:end -->
            """;

    @Test
    void givenPerPartnerRows_whenExpandedForTwoPartners_thenEachPartnerGetsItsOwnBindings() {
        KafkaAclTable table = KafkaAclTable.parse(TABLE, "<!-- t:begin -->", "<!-- t:end -->");

        List<Acl> acls = table.expand(List.of("a", "b"));

        assertEquals(7, acls.size());
        assertTrue(KafkaAclTable.allows(acls, "User:partner-a", "raw.a", AclOperation.WRITE));
        assertFalse(KafkaAclTable.allows(acls, "User:partner-a", "raw.b", AclOperation.WRITE));
        assertTrue(KafkaAclTable.allows(acls, "User:ingest", "raw.b", AclOperation.READ));
        assertFalse(KafkaAclTable.allows(acls, "User:ingest", "raw.b", AclOperation.WRITE));
        var idempotent = KafkaAclTable.bindings(acls).stream()
                .filter(b -> b.entry().principal().equals("User:partner-b")
                        && b.pattern().resourceType() == ResourceType.CLUSTER)
                .toList();
        assertEquals(1, idempotent.size());
        assertEquals(AclOperation.IDEMPOTENT_WRITE, idempotent.get(0).entry().operation());
        assertEquals(PatternType.LITERAL, idempotent.get(0).pattern().patternType());
        assertEquals(Set.of(new Acl("User:partner-x", "topic", "literal", "raw.x", "Write"),
                new Acl("User:partner-x", "topic", "literal", "raw.x", "Describe"),
                new Acl("User:partner-x", "cluster", "literal", "kafka-cluster", "IdempotentWrite")),
                table.forPrincipal("User:partner-x"));
    }

    @Test
    void givenAnUnknownOperationOrAMissingCellOrNoMarkers_whenParsed_thenTheReadFails() {
        String unknown = TABLE.replace("Read |", "Reed |");
        assertThrows(IllegalStateException.class, () -> KafkaAclTable.parse(unknown, "<!-- t:begin -->", "<!-- t:end -->"));
        String fourCells = TABLE.replace("| `User:ingest` | topic |", "| topic |");
        assertThrows(IllegalStateException.class, () -> KafkaAclTable.parse(fourCells, "<!-- t:begin -->", "<!-- t:end -->"));
        assertThrows(IllegalStateException.class, () -> KafkaAclTable.parse(TABLE, "<!-- u:begin -->", "<!-- u:end -->"));
    }

    @Test
    void theProjectsTablesAreReadable() {
        assertTrue(KafkaAclTable.proven().principals().contains("User:ingest"));
        assertFalse(KafkaAclTable.kedaException().acls().isEmpty());
    }
}
