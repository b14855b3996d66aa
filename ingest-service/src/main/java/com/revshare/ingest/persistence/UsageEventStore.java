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
     * Sequences are numbered after the anti-join, so only rows that will be inserted get one; with the
     * partner rows locked no other writer can claim these ids meanwhile, and ON CONFLICT stays a
     * safety net whose firing the caller detects as a gap.
     */
    private static final String INSERT_EVENTS = """
            insert into usage_event (partner_id, event_id, ingest_sequence, event_time, model, metric, quantity,
                                     revenue_amount, revenue_currency, region, source, received_at, submitted_at,
                                     channel, raw)
            select v.partner_id, v.event_id,
                   p.last_sequence + row_number() over (partition by v.partner_id order by v.ord),
                   v.event_time, v.model, v.metric, v.quantity, v.revenue_amount, v.revenue_currency, v.region,
                   v.source, ?::timestamptz, v.submitted_at::timestamptz, v.channel, v.raw
            from unnest(?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[],
                        ?::numeric[], ?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[], ?::bytea[])
                 as v(ord, partner_id, event_id, event_time, model, metric, quantity, revenue_amount,
                      revenue_currency, region, source, submitted_at, channel, raw)
            join ingest_partner p on p.partner_id = v.partner_id
            where not exists (select 1 from usage_event e
                              where e.partner_id = v.partner_id and e.event_id = v.event_id)
              and not exists (select 1 from control_event c
                              where c.partner_id = v.partner_id and c.event_id = v.event_id)
            order by 1, 3
            on conflict (partner_id, event_id) do nothing
            returning partner_id, event_id, ingest_sequence""";

    private static final String ADVANCE_PARTNERS = """
            update ingest_partner p set last_sequence = m.last_sequence
            from unnest(?::varchar[], ?::bigint[]) as m(partner_id, last_sequence)
            where p.partner_id = m.partner_id""";

    private static final String FIND_STORED = """
            select e.partner_id, e.event_id, e.source, e.event_time, e.model, e.metric, e.quantity,
                   e.revenue_amount, e.revenue_currency, e.region
            from unnest(?::varchar[], ?::varchar[]) as k(partner_id, event_id)
            join usage_event e on e.partner_id = k.partner_id and e.event_id = k.event_id""";

    /*
     * At most perPartner rows of each partner past its watermark, and at most total rows in all, taken
     * round robin (each partner's first row, then each one's second, ...) so every partner with a backlog
     * advances in every cycle; each partner's rows are a contiguous run of its sequence.
     */
    private static final String PENDING_OUTBOX = """
            select partner_id, event_id, ingest_sequence, event_time, model, metric, quantity, revenue_amount,
                   revenue_currency, region, source, received_at, submitted_at
            from (
                select e.*, row_number() over (partition by e.partner_id order by e.ingest_sequence) as turn
                from ingest_partner p
                left join ingest_relay_watermark w on w.partner_id = p.partner_id
                cross join lateral (
                    select x.partner_id, x.event_id, x.ingest_sequence, x.event_time, x.model, x.metric, x.quantity,
                           x.revenue_amount, x.revenue_currency, x.region, x.source, x.received_at, x.submitted_at
                    from usage_event x
                    where x.partner_id = p.partner_id
                      and x.ingest_sequence > coalesce(w.published_sequence, 0)
                      and x.ingest_sequence <= p.last_sequence
                    order by x.ingest_sequence
                    limit ?) e
                where p.last_sequence > coalesce(w.published_sequence, 0)
                order by turn, e.partner_id
                limit ?) pending
            order by partner_id, ingest_sequence""";

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
     * Stores the new events of a batch and classifies every item (SPEC §2.3). The first occurrence of an
     * id in the batch competes with the store; later occurrences compare with whichever event holds the id.
     *
     * @return one outcome per item, in item order
     */
    public List<StoreOutcome> store(List<IntakeItem> items, Instant receivedAt) throws SQLException {
        List<StoreOutcome> outcomes = new ArrayList<>(items.size());
        if (items.isEmpty()) {
            return outcomes;
        }
        Map<UsageEvent.Key, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            firstIndex.putIfAbsent(items.get(i).event().key(), i);
        }
        List<IntakeItem> candidates = firstIndex.values().stream().map(items::get).toList();
        TreeSet<String> partners = new TreeSet<>();
        candidates.forEach(c -> partners.add(c.event().partnerId()));

        try (Connection c = dataSource.getConnection()) {
            Map<String, Long> lastSequence = lockPartners(c, partners);
            Map<UsageEvent.Key, Long> claimed = insert(c, candidates, receivedAt);
            verifyGapless(claimed, lastSequence);
            advancePartners(c, claimed, lastSequence);

            List<UsageEvent.Key> unclaimed = firstIndex.keySet().stream().filter(k -> !claimed.containsKey(k)).toList();
            Map<UsageEvent.Key, UsageEvent> stored = findStored(c, unclaimed);
            java.util.Set<UsageEvent.Key> heldByControl = findControlKeys(c,
                    unclaimed.stream().filter(k -> !stored.containsKey(k)).toList());

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

    private Map<UsageEvent.Key, Long> insert(Connection c, List<IntakeItem> candidates, Instant receivedAt)
            throws SQLException {
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
            time[i] = e.time().toString();
            model[i] = e.model();
            metric[i] = e.metric();
            quantity[i] = e.quantity();
            amount[i] = e.revenue() == null ? null : e.revenue().amount();
            currency[i] = e.revenue() == null ? null : e.revenue().currency();
            region[i] = e.region();
            source[i] = e.source();
            submitted[i] = item.submittedAt().toString();
            channel[i] = item.channel().name();
            raw[i] = item.raw();
        }
        Map<UsageEvent.Key, Long> claimed = new HashMap<>();
        try (PreparedStatement insert = c.prepareStatement(INSERT_EVENTS)) {
            int p = 1;
            insert.setString(p++, receivedAt.toString());
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
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    claimed.put(new UsageEvent.Key(rs.getString(1), rs.getString(2)), rs.getLong(3));
                }
            }
        }
        return claimed;
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
            long last = lastSequence.get(partner);
            if (m[0] != last + 1 || m[1] != last + m[2]) {
                throw new IllegalStateException("ingest sequence of " + partner + " would have a gap");
            }
        });
    }

    private void advancePartners(Connection c, Map<UsageEvent.Key, Long> claimed, Map<String, Long> lastSequence)
            throws SQLException {
        Map<String, Long> next = new TreeMap<>();
        claimed.forEach((key, seq) -> next.merge(key.partnerId(), seq, Math::max));
        if (next.isEmpty()) {
            return;
        }
        try (PreparedStatement update = c.prepareStatement(ADVANCE_PARTNERS)) {
            update.setArray(1, c.createArrayOf("varchar", next.keySet().toArray(String[]::new)));
            update.setArray(2, c.createArrayOf("int8", next.values().toArray(Long[]::new)));
            update.executeUpdate();
        }
    }

    private Map<UsageEvent.Key, UsageEvent> findStored(Connection c, List<UsageEvent.Key> keys) throws SQLException {
        Map<UsageEvent.Key, UsageEvent> stored = new HashMap<>();
        if (keys.isEmpty()) {
            return stored;
        }
        try (PreparedStatement find = c.prepareStatement(FIND_STORED)) {
            find.setArray(1, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::partnerId).toArray(String[]::new)));
            find.setArray(2, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::eventId).toArray(String[]::new)));
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    BigDecimal amount = rs.getBigDecimal(8);
                    UsageEvent e = new UsageEvent(rs.getString(1), rs.getString(2), rs.getString(3),
                            Instant.parse(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getLong(7),
                            amount == null ? null : new UsageEvent.Revenue(amount, rs.getString(9)), rs.getString(10));
                    stored.put(e.key(), e);
                }
            }
        }
        return stored;
    }

    /** Which of the keys a control event holds (SPEC §2.6: one id space for usage and control events). */
    private static java.util.Set<UsageEvent.Key> findControlKeys(Connection c, List<UsageEvent.Key> keys)
            throws SQLException {
        java.util.Set<UsageEvent.Key> held = new java.util.HashSet<>();
        if (keys.isEmpty()) {
            return held;
        }
        try (PreparedStatement find = c.prepareStatement("""
                select c.partner_id, c.event_id from unnest(?::varchar[], ?::varchar[]) as k(partner_id, event_id)
                join control_event c on c.partner_id = k.partner_id and c.event_id = k.event_id""")) {
            find.setArray(1, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::partnerId).toArray(String[]::new)));
            find.setArray(2, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::eventId).toArray(String[]::new)));
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    held.add(new UsageEvent.Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return held;
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

    /**
     * Each partner's committed, unpublished rows in sequence order: at most {@code perPartnerLimit} of each
     * partner and {@code totalLimit} in all, shared round robin between the partners with a backlog.
     */
    public List<OutboxRow> pendingOutbox(int perPartnerLimit, int totalLimit) throws SQLException {
        List<OutboxRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PENDING_OUTBOX)) {
            s.setInt(1, perPartnerLimit);
            s.setInt(2, totalLimit);
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
