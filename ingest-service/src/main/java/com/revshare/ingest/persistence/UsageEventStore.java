package com.revshare.ingest.persistence;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.revshare.ingest.application.UsageEventStorage;
import com.revshare.ingest.application.IntakeItem;
import com.revshare.ingest.application.OutboxRow;
import com.revshare.ingest.application.RelayHead;
import com.revshare.ingest.application.SequenceRange;
import com.revshare.ingest.application.StoreOutcome;
import com.revshare.ingest.domain.UsageEvent;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The usage_event table: dedupe, audit copy and outbox in one row per accepted event. Every method
 * must run inside a transaction; each is a handful of set-based statements whatever the batch size.
 */
@ApplicationScoped
public class UsageEventStore implements UsageEventStorage {
    /** The advisory lock key of the relay ("revshare" in ASCII). */
    public static final long RELAY_LOCK_KEY = 0x7265767368617265L;

    private static final String ENSURE_PARTNERS = """
            insert into ingest_partner (partner_id)
            select p from unnest(?::varchar[]) as p order by p
            on conflict (partner_id) do nothing""";

    private static final String LOCK_PARTNERS = """
            select partner_id, last_sequence from ingest_partner
            where partner_id = any(?::varchar[]) order by partner_id for update""";

    /*
     * One statement, one round trip per batch: the insert claims the new ids and numbers them (after the
     * anti-join, so only rows that will be inserted get a sequence: with the partner rows locked no other writer
     * can claim these ids meanwhile, and ON CONFLICT stays a safety net whose firing the caller detects as a
     * gap), the partners' last sequence advances, and the ids the insert did not claim come back with the content
     * that holds them (the statement's snapshot is from before the insert, so the second and third branches see
     * exactly the events and controls stored before). Index entries per event: the primary key (dedupe: the
     * anti-join, ON CONFLICT and the held-content branch) and (partner_id, ingest_sequence) (the relay's and
     * the republish's reads of a partner's sequence range, OUTBOX_RANGE); nothing else indexes usage_event.
     */
    private static final String STORE_EVENTS = """
            with v as (
                select * from unnest(?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                                     ?::bigint[], ?::numeric[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[],
                                     ?::varchar[], ?::bytea[])
                     as v(ord, partner_id, event_id, event_time, model, metric, quantity, revenue_amount,
                          revenue_currency, region, source, submitted_at, channel, raw)),
            ins as (
                insert into usage_event (partner_id, event_id, ingest_sequence, event_time, model, metric, quantity,
                                         revenue_amount, revenue_currency, region, source, received_at, submitted_at,
                                         channel, raw)
                select v.partner_id, v.event_id,
                       p.last_sequence + row_number() over (partition by v.partner_id order by v.ord),
                       v.event_time, v.model, v.metric, v.quantity, v.revenue_amount, v.revenue_currency, v.region,
                       v.source, ?::timestamptz, v.submitted_at::timestamptz, v.channel, v.raw
                from v
                join ingest_partner p on p.partner_id = v.partner_id
                where not exists (select 1 from usage_event e
                                  where e.partner_id = v.partner_id and e.event_id = v.event_id)
                  and not exists (select 1 from control_event c
                                  where c.partner_id = v.partner_id and c.event_id = v.event_id)
                order by 1, 3
                on conflict (partner_id, event_id) do nothing
                returning partner_id, event_id, ingest_sequence),
            advanced as (
                update ingest_partner p set last_sequence = m.last_sequence
                from (select partner_id, max(ingest_sequence) as last_sequence from ins group by partner_id) m
                where p.partner_id = m.partner_id
                returning 1)
            select 'C', partner_id, event_id, ingest_sequence, null::varchar, null::varchar, null::varchar,
                   null::bigint, null::numeric, null::varchar, null::varchar
            from ins
            union all
            select 'U', e.partner_id, e.event_id, e.ingest_sequence, e.event_time, e.model, e.metric, e.quantity,
                   e.revenue_amount, e.revenue_currency, e.region
            from v join usage_event e on e.partner_id = v.partner_id and e.event_id = v.event_id
            union all
            select 'X', c.partner_id, c.event_id, null, null, null, null, null, null, null, null
            from v join control_event c on c.partner_id = v.partner_id and c.event_id = v.event_id""";

    /** Every partner's last sequence and published watermark (one row per partner ingest has seen). */
    private static final String RELAY_HEADS = """
            select p.partner_id, p.last_sequence, coalesce(w.published_sequence, 0)
            from ingest_partner p left join ingest_relay_watermark w on w.partner_id = p.partner_id""";

    /** Given sequence ranges of given partners, in sequence order: an index range scan on (partner, sequence) each. */
    private static final String OUTBOX_RANGE = """
            select e.partner_id, e.event_id, e.ingest_sequence, e.event_time, e.model, e.metric, e.quantity,
                   e.revenue_amount, e.revenue_currency, e.region, e.source, e.received_at, e.submitted_at
            from unnest(?::varchar[], ?::bigint[], ?::bigint[]) as r(partner_id, first_sequence, last_sequence)
            cross join lateral (
                select x.partner_id, x.event_id, x.ingest_sequence, x.event_time, x.model, x.metric, x.quantity,
                       x.revenue_amount, x.revenue_currency, x.region, x.source, x.received_at, x.submitted_at
                from usage_event x
                where x.partner_id = r.partner_id
                  and x.ingest_sequence between r.first_sequence and r.last_sequence
                order by x.ingest_sequence) e
            order by e.partner_id, e.ingest_sequence""";

    private static final String ADVANCE_WATERMARKS = """
            insert into ingest_relay_watermark (partner_id, published_sequence)
            select * from unnest(?::varchar[], ?::bigint[])
            on conflict (partner_id) do update
            set published_sequence = greatest(ingest_relay_watermark.published_sequence, excluded.published_sequence)""";

    private final AgroalDataSource dataSource;

    public UsageEventStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the new events of a batch and classifies every item (SPEC §2.3), locking the partners first: for a
     * caller that has not locked them (tests; the intake passes the sequences it read under its own lock).
     */
    public List<StoreOutcome> store(List<IntakeItem> items, Instant receivedAt) throws SQLException {
        TreeSet<String> partners = new TreeSet<>();
        items.forEach(i -> partners.add(i.event().partnerId()));
        try (Connection c = dataSource.getConnection()) {
            return store(items, receivedAt, lockPartners(c, partners));
        }
    }

    /**
     * Stores the new events of a batch and classifies every item (SPEC §2.3) in one statement. The first
     * occurrence of an id in the batch competes with the store; later occurrences compare with whichever event
     * holds the id. The partners' rows must be locked by the caller's transaction; {@code lastSequence} holds
     * their last sequences and is advanced past the events this call claims.
     *
     * @return one outcome per item, in item order
     */
    public List<StoreOutcome> store(List<IntakeItem> items, Instant receivedAt, Map<String, Long> lastSequence)
            throws SQLException {
        List<StoreOutcome> outcomes = new ArrayList<>(items.size());
        if (items.isEmpty()) {
            return outcomes;
        }
        Map<UsageEvent.Key, Integer> firstIndex = new HashMap<>();
        List<IntakeItem> candidates = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (firstIndex.putIfAbsent(items.get(i).event().key(), i) == null) {
                candidates.add(items.get(i));
            }
        }
        Map<UsageEvent.Key, Long> claimed = new HashMap<>();
        Map<UsageEvent.Key, UsageEvent> stored = new HashMap<>();
        java.util.Set<UsageEvent.Key> heldByControl = new java.util.HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            insert(c, candidates, receivedAt, claimed, stored, heldByControl);
        }
        verifyGapless(claimed, lastSequence);
        claimed.forEach((key, seq) -> lastSequence.merge(key.partnerId(), seq, Math::max));

        for (int i = 0; i < items.size(); i++) {
            UsageEvent event = items.get(i).event();
            UsageEvent.Key key = event.key();
            boolean first = firstIndex.get(key) == i;
            if (first && claimed.containsKey(key)) {
                outcomes.add(new StoreOutcome.Claimed(claimed.get(key)));
                continue;
            }
            UsageEvent holder = claimed.containsKey(key) ? items.get(firstIndex.get(key)).event() : stored.get(key);
            if (holder == null) {
                if (!heldByControl.contains(key)) {
                    throw new IllegalStateException("id " + key + " neither inserted nor stored");
                }
                outcomes.add(new StoreOutcome.Conflict()); // a control event holds the id (SPEC §2.6)
                continue;
            }
            outcomes.add(event.sameContentAs(holder) ? new StoreOutcome.Duplicate() : new StoreOutcome.Conflict());
        }
        return outcomes;
    }

    private Map<String, Long> lockPartners(Connection c, TreeSet<String> partners) throws SQLException {
        Array ids = c.createArrayOf("varchar", partners.toArray(String[]::new));
        try (PreparedStatement ensure = c.prepareStatement(ENSURE_PARTNERS)) {
            ensure.setArray(1, ids);
            ensure.executeUpdate();
        }
        Map<String, Long> last = new HashMap<>();
        try (PreparedStatement lock = c.prepareStatement(LOCK_PARTNERS)) {
            lock.setArray(1, ids);
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    last.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return last;
    }

    private static void insert(Connection c, List<IntakeItem> candidates, Instant receivedAt,
            Map<UsageEvent.Key, Long> claimed, Map<UsageEvent.Key, UsageEvent> stored,
            java.util.Set<UsageEvent.Key> heldByControl) throws SQLException {
        int n = candidates.size();
        Integer[] ord = new Integer[n];
        String[] partner = new String[n];
        String[] eventId = new String[n];
        String[] time = new String[n];
        String[] model = new String[n];
        String[] metric = new String[n];
        Long[] quantity = new Long[n];
        BigDecimal[] amount = new BigDecimal[n];
        String[] currency = new String[n];
        String[] region = new String[n];
        String[] source = new String[n];
        String[] submitted = new String[n];
        String[] channel = new String[n];
        byte[][] raw = new byte[n][];
        for (int i = 0; i < n; i++) {
            IntakeItem item = candidates.get(i);
            UsageEvent e = item.event();
            ord[i] = i;
            partner[i] = e.partnerId();
            eventId[i] = e.eventId();
            time[i] = item.timeText();
            model[i] = e.model();
            metric[i] = e.metric();
            quantity[i] = e.quantity();
            amount[i] = e.revenue() == null ? null : e.revenue().amount();
            currency[i] = e.revenue() == null ? null : e.revenue().currency();
            region[i] = e.region();
            source[i] = e.source();
            // a batch's items mostly share their hand-over time (one HTTP receipt, or records of one
            // millisecond): formatted once per distinct instant, the same text
            Instant at = item.submittedAt();
            submitted[i] = i > 0 && at.equals(candidates.get(i - 1).submittedAt()) ? submitted[i - 1] : at.toString();
            channel[i] = item.channel().name();
            raw[i] = item.raw();
        }
        try (PreparedStatement insert = c.prepareStatement(STORE_EVENTS)) {
            // pgjdbc sends int[], String[] (varchar/text), Long[] and byte[][] arrays in binary; numeric as text
            int p = 1;
            insert.setArray(p++, c.createArrayOf("int4", ord));
            insert.setArray(p++, c.createArrayOf("varchar", partner));
            insert.setArray(p++, c.createArrayOf("varchar", eventId));
            insert.setArray(p++, c.createArrayOf("varchar", time));
            insert.setArray(p++, c.createArrayOf("varchar", model));
            insert.setArray(p++, c.createArrayOf("varchar", metric));
            insert.setArray(p++, c.createArrayOf("int8", quantity));
            insert.setArray(p++, c.createArrayOf("numeric", amount));
            insert.setArray(p++, c.createArrayOf("varchar", currency));
            insert.setArray(p++, c.createArrayOf("varchar", region));
            insert.setArray(p++, c.createArrayOf("text", source));
            insert.setArray(p++, c.createArrayOf("varchar", submitted));
            insert.setArray(p++, c.createArrayOf("varchar", channel));
            insert.setArray(p++, c.createArrayOf("bytea", raw));
            insert.setString(p++, receivedAt.toString());
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    UsageEvent.Key key = new UsageEvent.Key(rs.getString(2), rs.getString(3));
                    switch (rs.getString(1)) {
                        case "C" -> claimed.put(key, rs.getLong(4));
                        case "U" -> {
                            BigDecimal stored0 = rs.getBigDecimal(9);
                            stored.put(key, new UsageEvent(key.partnerId(), key.eventId(), null,
                                    Instant.parse(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getLong(8),
                                    stored0 == null ? null : new UsageEvent.Revenue(stored0, rs.getString(10)),
                                    rs.getString(11)));
                        }
                        default -> heldByControl.add(key);
                    }
                }
            }
        }
    }

    /** Pair assertion: the claimed sequences of each partner are exactly last+1 .. last+k. */
    private static void verifyGapless(Map<UsageEvent.Key, Long> claimed, Map<String, Long> lastSequence) {
        Map<String, long[]> minMaxCount = new HashMap<>();
        claimed.forEach((key, seq) -> {
            long[] m = minMaxCount.computeIfAbsent(key.partnerId(), k -> new long[] {Long.MAX_VALUE, 0, 0});
            m[0] = Math.min(m[0], seq);
            m[1] = Math.max(m[1], seq);
            m[2]++;
        });
        minMaxCount.forEach((partner, m) -> {
            Long last = lastSequence.get(partner);
            if (last == null || m[0] != last + 1 || m[1] != last + m[2]) {
                throw new IllegalStateException("ingest sequence of " + partner + " would have a gap");
            }
        });
    }

    /**
     * Sets a partner's published watermark back to {@code fromSequence - 1} (never forwards), so the relay
     * publishes its stored events from {@code fromSequence} again. Waits for the relay's lock first, so a relay
     * cycle in progress cannot advance the watermark past the rewind. Must run in a transaction.
     *
     * @return the partner's last ingest sequence and the watermark before the rewind, or null for a partner
     *         ingest has no row of
     */
    public long[] rewindWatermark(String partnerId, long fromSequence) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, RELAY_LOCK_KEY);
                lock.execute();
            }
            long last;
            try (PreparedStatement s = c.prepareStatement(
                    "select last_sequence from ingest_partner where partner_id = ? for update")) {
                s.setString(1, partnerId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    last = rs.getLong(1);
                }
            }
            long before = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "select published_sequence from ingest_relay_watermark where partner_id = ?")) {
                s.setString(1, partnerId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        before = rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("""
                    insert into ingest_relay_watermark (partner_id, published_sequence) values (?, ?)
                    on conflict (partner_id) do update
                    set published_sequence = least(ingest_relay_watermark.published_sequence, excluded.published_sequence)""")) {
                s.setString(1, partnerId);
                s.setLong(2, Math.max(0, Math.min(fromSequence - 1, last)));
                s.executeUpdate();
            }
            return new long[] {last, before};
        }
    }

    /** Takes the relay's transaction-scoped lock, so one instance at a time publishes the outbox. */
    public boolean tryRelayLock() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, RELAY_LOCK_KEY);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Every partner's last ingest sequence and published watermark. */
    public List<RelayHead> relayHeads() throws SQLException {
        List<RelayHead> heads = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(RELAY_HEADS);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                heads.add(new RelayHead(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        }
        return heads;
    }

    /** The stored rows of each range (partner, first and last sequence, inclusive), each partner's in sequence order. */
    public List<OutboxRow> outboxRange(List<SequenceRange> ranges) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        if (ranges.isEmpty()) {
            return rows;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(OUTBOX_RANGE)) {
            s.setArray(1, c.createArrayOf("varchar", ranges.stream().map(SequenceRange::partnerId).toArray(String[]::new)));
            s.setArray(2, c.createArrayOf("int8", ranges.stream().map(SequenceRange::first).toArray(Long[]::new)));
            s.setArray(3, c.createArrayOf("int8", ranges.stream().map(SequenceRange::last).toArray(Long[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getLong(7), rs.getBigDecimal(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), rs.getTimestamp(12).toInstant(),
                            rs.getTimestamp(13).toInstant()));
                }
            }
        }
        return rows;
    }

    /** Records that each partner's rows up to the given sequence are published (never moves backwards). */
    public void advanceWatermarks(Map<String, Long> publishedSequence) throws SQLException {
        if (publishedSequence.isEmpty()) {
            return;
        }
        Map<String, Long> sorted = new TreeMap<>(publishedSequence);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ADVANCE_WATERMARKS)) {
            s.setArray(1, c.createArrayOf("varchar", sorted.keySet().toArray(String[]::new)));
            s.setArray(2, c.createArrayOf("int8", sorted.values().toArray(Long[]::new)));
            s.executeUpdate();
        }
    }
}
