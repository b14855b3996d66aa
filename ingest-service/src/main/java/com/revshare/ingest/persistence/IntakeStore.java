package com.revshare.ingest.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import com.revshare.ingest.application.IntakeStorage;
import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IncomingRecord.SourcePartition;
import com.revshare.ingest.application.IncomingRecord.SourcePosition;
import com.revshare.ingest.application.PartnerCounts;
import com.revshare.ingest.application.StoredRejection;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ingest's bookkeeping beside the events (SPEC §2.7): per-partner intake counts pre-aggregated per batch,
 * the stored rejections, the Kafka offsets processed (stored with the data) and unreadable partner records.
 * Methods that write must run inside the batch's transaction; each is a handful of set-based statements.
 */
@ApplicationScoped
public class IntakeStore implements IntakeStorage {
    private static final String ENSURE_PARTNERS = """
            insert into ingest_partner (partner_id)
            select p from unnest(?::varchar[]) as p order by p
            on conflict (partner_id) do nothing""";

    private static final String LOCK_PARTNERS = """
            select partner_id, last_sequence, duplicates, rejected, controls from ingest_partner
            where partner_id = any(?::varchar[]) order by partner_id for update""";

    private static final String ADD_COUNTS = """
            update ingest_partner p set duplicates = p.duplicates + d.duplicates, rejected = p.rejected + d.rejected,
                                        controls = p.controls + d.controls
            from unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[]) as d(partner_id, duplicates, rejected, controls)
            where p.partner_id = d.partner_id""";

    private static final String INSERT_REJECTIONS = """
            insert into ingest_rejection (claim_partner_id, claim_sequence, received_at, reason, detail, partner_id,
                                          event_id, size, sha256, channel, kafka_topic, kafka_partition, kafka_offset)
            select v.claim_partner_id, v.claim_sequence, v.received_at::timestamptz, v.reason, v.detail, v.partner_id,
                   v.event_id, v.size, v.sha256, v.channel, v.kafka_topic, v.kafka_partition, v.kafka_offset
            from unnest(?::int[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[],
                        ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::bigint[])
                 as v(ord, claim_partner_id, claim_sequence, received_at, reason, detail, partner_id, event_id, size,
                      sha256, channel, kafka_topic, kafka_partition, kafka_offset)
            order by v.ord""";

    private static final String ENSURE_OFFSETS = """
            insert into ingest_consumer_offset (group_id, topic, partition, next_offset)
            select ?, t, p, 0 from unnest(?::varchar[], ?::int[]) as x(t, p) order by t, p
            on conflict do nothing""";

    private static final String LOCK_OFFSETS = """
            select o.topic, o.partition, o.next_offset from ingest_consumer_offset o
            join unnest(?::varchar[], ?::int[]) as x(t, p) on o.topic = x.t and o.partition = x.p
            where o.group_id = ? order by o.topic, o.partition for update of o""";

    private static final String READ_OFFSETS = """
            select o.topic, o.partition, o.next_offset from ingest_consumer_offset o
            join unnest(?::varchar[], ?::int[]) as x(t, p) on o.topic = x.t and o.partition = x.p
            where o.group_id = ?""";

    private static final String ADVANCE_OFFSETS = """
            update ingest_consumer_offset o set next_offset = greatest(o.next_offset, x.n)
            from unnest(?::varchar[], ?::int[], ?::bigint[]) as x(t, p, n)
            where o.group_id = ? and o.topic = x.t and o.partition = x.p""";

    private static final String LIST_REJECTIONS = """
            select claim_sequence, received_at, reason, detail, partner_id, event_id, size, sha256, channel
            from ingest_rejection
            where claim_partner_id = ? and claim_sequence > ?
              and (?::timestamptz is null or received_at >= ?::timestamptz)
              and (?::timestamptz is null or received_at < ?::timestamptz)
              and (?::varchar is null or reason = ?::varchar)
            order by claim_sequence
            limit ?""";

    private final AgroalDataSource dataSource;

    public IntakeStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the rows of partners not seen before and locks all of them in partner-id order (the one lock
     * order every writer uses, so concurrent batches never deadlock). Must run in the batch's transaction.
     */
    public Map<String, PartnerCounts> lockPartners(Collection<String> partnerIds) throws SQLException {
        Map<String, PartnerCounts> counts = new HashMap<>();
        if (partnerIds.isEmpty()) {
            return counts;
        }
        try (Connection c = dataSource.getConnection()) {
            Array ids = c.createArrayOf("varchar", new TreeSet<>(partnerIds).toArray(String[]::new));
            // one round trip: create the missing rows, then (a statement of its own, whose snapshot sees rows
            // another transaction created meanwhile) lock them all
            try (PreparedStatement lock = c.prepareStatement(ENSURE_PARTNERS + ";\n" + LOCK_PARTNERS)) {
                lock.setArray(1, ids);
                lock.setArray(2, ids);
                lock.execute();
                try (ResultSet rs = nextResultSet(lock)) {
                    while (rs.next()) {
                        counts.put(rs.getString(1), new PartnerCounts(rs.getString(1), rs.getLong(2), rs.getLong(3),
                                rs.getLong(4), rs.getLong(5)));
                    }
                }
            }
        }
        return counts;
    }

    /** Adds a batch's duplicates, rejections and accepted controls per partner (rows locked by {@link #lockPartners}). */
    public void addCounts(Map<String, Long> duplicates, Map<String, Long> rejected, Map<String, Long> controls)
            throws SQLException {
        TreeSet<String> partners = new TreeSet<>(duplicates.keySet());
        partners.addAll(rejected.keySet());
        partners.addAll(controls.keySet());
        if (partners.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ADD_COUNTS)) {
            s.setArray(1, c.createArrayOf("varchar", partners.toArray(String[]::new)));
            s.setArray(2, c.createArrayOf("int8", partners.stream().map(p -> duplicates.getOrDefault(p, 0L)).toArray()));
            s.setArray(3, c.createArrayOf("int8", partners.stream().map(p -> rejected.getOrDefault(p, 0L)).toArray()));
            s.setArray(4, c.createArrayOf("int8", partners.stream().map(p -> controls.getOrDefault(p, 0L)).toArray()));
            s.executeUpdate();
        }
    }

    /** Stores a batch's rejections in their order (one multi-row insert). */
    public void insertRejections(List<StoredRejection> rejections) throws SQLException {
        if (rejections.isEmpty()) {
            return;
        }
        int n = rejections.size();
        Integer[] ord = new Integer[n];
        String[] claim = new String[n];
        Long[] claimSequence = new Long[n];
        String[] receivedAt = new String[n];
        String[] reason = new String[n];
        String[] detail = new String[n];
        String[] partner = new String[n];
        String[] eventId = new String[n];
        Long[] size = new Long[n];
        String[] sha256 = new String[n];
        String[] channel = new String[n];
        String[] topic = new String[n];
        Integer[] partition = new Integer[n];
        Long[] offset = new Long[n];
        for (int i = 0; i < n; i++) {
            StoredRejection r = rejections.get(i);
            ord[i] = i;
            claim[i] = r.claimPartnerId();
            claimSequence[i] = r.claimSequence();
            receivedAt[i] = r.receivedAt().toString();
            reason[i] = r.reason();
            detail[i] = r.detail();
            partner[i] = r.partnerId();
            eventId[i] = r.eventId();
            size[i] = r.size();
            sha256[i] = r.sha256();
            channel[i] = r.channel().name();
            topic[i] = r.position() == null ? null : r.position().topic();
            partition[i] = r.position() == null ? null : r.position().partition();
            offset[i] = r.position() == null ? null : r.position().offset();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT_REJECTIONS)) {
            int p = 1;
            s.setArray(p++, c.createArrayOf("int4", ord));
            s.setArray(p++, c.createArrayOf("varchar", claim));
            s.setArray(p++, c.createArrayOf("int8", claimSequence));
            s.setArray(p++, c.createArrayOf("varchar", receivedAt));
            s.setArray(p++, c.createArrayOf("varchar", reason));
            s.setArray(p++, c.createArrayOf("text", detail));
            s.setArray(p++, c.createArrayOf("varchar", partner));
            s.setArray(p++, c.createArrayOf("varchar", eventId));
            s.setArray(p++, c.createArrayOf("int8", size));
            s.setArray(p++, c.createArrayOf("varchar", sha256));
            s.setArray(p++, c.createArrayOf("varchar", channel));
            s.setArray(p++, c.createArrayOf("varchar", topic));
            s.setArray(p++, c.createArrayOf("int4", partition));
            s.setArray(p++, c.createArrayOf("int8", offset));
            s.executeUpdate();
        }
    }

    /**
     * Locks the offset rows of the given partitions (creating missing ones at 0) in topic/partition order and
     * returns the next offset to process of each. Held until the batch commits, so two consumers that both
     * believe they own a partition during a rebalance process its records one after the other, never twice.
     */
    public Map<SourcePartition, Long> lockOffsets(String groupId, Collection<SourcePartition> partitions)
            throws SQLException {
        Map<SourcePartition, Long> next = new HashMap<>();
        if (partitions.isEmpty()) {
            return next;
        }
        List<SourcePartition> sorted = new ArrayList<>(new TreeSet<>(partitions));
        try (Connection c = dataSource.getConnection()) {
            Array topics = c.createArrayOf("varchar", sorted.stream().map(SourcePartition::topic).toArray(String[]::new));
            Array numbers = c.createArrayOf("int4", sorted.stream().map(SourcePartition::partition).toArray(Integer[]::new));
            // one round trip, two statements (the lock's snapshot sees rows another consumer created meanwhile)
            try (PreparedStatement lock = c.prepareStatement(ENSURE_OFFSETS + ";\n" + LOCK_OFFSETS)) {
                lock.setString(1, groupId);
                lock.setArray(2, topics);
                lock.setArray(3, numbers);
                lock.setArray(4, topics);
                lock.setArray(5, numbers);
                lock.setString(6, groupId);
                lock.execute();
                try (ResultSet rs = nextResultSet(lock)) {
                    while (rs.next()) {
                        next.put(new SourcePartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                    }
                }
            }
        }
        return next;
    }

    /** The result set of a two-statement round trip whose first statement was an update. */
    private static ResultSet nextResultSet(PreparedStatement s) throws SQLException {
        while (!s.getMoreResults() && s.getUpdateCount() != -1) {
            // skip update counts
        }
        ResultSet rs = s.getResultSet();
        if (rs == null) {
            throw new IllegalStateException("the locking statement returned no rows");
        }
        return rs;
    }

    /** The stored next offsets of the partitions that have one (no lock; for seeking after an assignment). */
    public Map<SourcePartition, Long> readOffsets(String groupId, Collection<SourcePartition> partitions)
            throws SQLException {
        Map<SourcePartition, Long> next = new HashMap<>();
        if (partitions.isEmpty()) {
            return next;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(READ_OFFSETS)) {
            s.setArray(1, c.createArrayOf("varchar", partitions.stream().map(SourcePartition::topic).toArray()));
            s.setArray(2, c.createArrayOf("int4", partitions.stream().map(SourcePartition::partition).toArray()));
            s.setString(3, groupId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    next.put(new SourcePartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                }
            }
        }
        return next;
    }

    /** Records that the given partitions are processed up to (excluding) the given offsets; never moves back. */
    public void advanceOffsets(String groupId, Map<SourcePartition, Long> nextOffsets) throws SQLException {
        if (nextOffsets.isEmpty()) {
            return;
        }
        SortedMap<SourcePartition, Long> sorted = new TreeMap<>(nextOffsets);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ADVANCE_OFFSETS)) {
            s.setArray(1, c.createArrayOf("varchar", sorted.keySet().stream().map(SourcePartition::topic).toArray()));
            s.setArray(2, c.createArrayOf("int4", sorted.keySet().stream().map(SourcePartition::partition).toArray()));
            s.setArray(3, c.createArrayOf("int8", sorted.values().toArray()));
            s.setString(4, groupId);
            s.executeUpdate();
        }
    }

    /** A partner's intake counts, or empty when ingest has never seen a record of it. */
    public Optional<PartnerCounts> counts(String partnerId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select last_sequence, duplicates, rejected, controls from ingest_partner where partner_id = ?")) {
            s.setString(1, partnerId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new PartnerCounts(partnerId, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                        : Optional.empty();
            }
        }
    }

    /**
     * A page of a partner's rejections after {@code afterSequence}, oldest first, filtered by receipt time
     * ({@code from} inclusive, {@code to} exclusive, either may be null) and reason (null = all).
     */
    public List<StoredRejection> rejections(String partnerId, long afterSequence, Instant from, Instant to,
            String reason, int limit) throws SQLException {
        List<StoredRejection> page = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LIST_REJECTIONS)) {
            Timestamp fromTs = from == null ? null : Timestamp.from(from);
            Timestamp toTs = to == null ? null : Timestamp.from(to);
            s.setString(1, partnerId);
            s.setLong(2, afterSequence);
            s.setTimestamp(3, fromTs);
            s.setTimestamp(4, fromTs);
            s.setTimestamp(5, toTs);
            s.setTimestamp(6, toTs);
            s.setString(7, reason);
            s.setString(8, reason);
            s.setInt(9, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(new StoredRejection(partnerId, rs.getLong(1), rs.getTimestamp(2).toInstant(),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                            rs.getString(8), Channel.valueOf(rs.getString(9)), null));
                }
            }
        }
        return page;
    }

    /** Deletes rejections received before {@code cutoff}, at most {@code limit} rows; returns how many. */
    public int purgeRejections(Instant cutoff, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        delete from ingest_rejection where id in (
                            select id from ingest_rejection where received_at < ? order by received_at limit ?)""")) {
            s.setTimestamp(1, Timestamp.from(cutoff));
            s.setInt(2, limit);
            return s.executeUpdate();
        }
    }

    /** Keeps a partner record that could not be read (once per topic position); autocommit, no transaction needed. */
    public void keepUnreadablePartnerRecord(SourcePosition position, byte[] key, byte[] value, String error)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        insert into ingest_unreadable_partner_record (topic, partition, record_offset, record_key, value, error)
                        values (?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
            s.setString(1, position.topic());
            s.setInt(2, position.partition());
            s.setLong(3, position.offset());
            s.setBytes(4, key);
            s.setBytes(5, value);
            s.setString(6, error);
            s.executeUpdate();
        }
    }

    /** How many unreadable partner records are kept (for the gauge). */
    public long unreadablePartnerRecords() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from ingest_unreadable_partner_record");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
