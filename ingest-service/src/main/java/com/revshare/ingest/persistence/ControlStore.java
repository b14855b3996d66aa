package com.revshare.ingest.persistence;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ingest.application.ControlStorage;
import com.revshare.ingest.application.ControlStorage.ControlWithReceived;
import com.revshare.ingest.application.ControlItem;
import com.revshare.ingest.application.StoreOutcome;
import com.revshare.ingest.domain.ControlEvent;
import com.revshare.ingest.domain.Totals;
import com.revshare.ingest.domain.UsageEvent;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Control events (SPEC §2.6) and the per-(partner, hour) totals of accepted usage events they are checked
 * against. Writes run inside the batch's transaction, after the partners' rows are locked; each is one
 * set-based statement per batch. A control is read back with its window's totals summed from at most one
 * aggregate row per hour of the window (744 for the longest), never from the events.
 */
@ApplicationScoped
public class ControlStore implements ControlStorage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> REVENUE = new TypeReference<>() {
    };

    /* the id space is shared with usage_event: a control claims an id neither table holds */
    private static final String INSERT_CONTROLS = """
            insert into control_event (partner_id, event_id, source, event_time, window_from, window_to, event_count,
                                       input_tokens, output_tokens, requests, revenue, received_at, channel, raw)
            select v.partner_id, v.event_id, v.source, v.event_time, v.window_from::timestamptz,
                   v.window_to::timestamptz, v.event_count, v.input_tokens, v.output_tokens, v.requests,
                   v.revenue::jsonb, ?::timestamptz, v.channel, v.raw
            from unnest(?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[], ?::varchar[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::varchar[], ?::bytea[])
                 as v(partner_id, event_id, source, event_time, window_from, window_to, event_count, input_tokens,
                      output_tokens, requests, revenue, channel, raw)
            where not exists (select 1 from usage_event e where e.partner_id = v.partner_id and e.event_id = v.event_id)
            order by v.partner_id, v.event_id
            on conflict (partner_id, event_id) do nothing
            returning partner_id, event_id""";

    private static final String FIND_CONTROLS = """
            select c.partner_id, c.event_id, c.source, c.event_time, c.window_from, c.window_to, c.event_count,
                   c.input_tokens, c.output_tokens, c.requests, c.revenue::text
            from unnest(?::varchar[], ?::varchar[]) as k(partner_id, event_id)
            join control_event c on c.partner_id = k.partner_id and c.event_id = k.event_id""";

    /* both hourly tables of a batch in one statement (one round trip); the revenue arrays may be empty */
    private static final String ADD_HOURLY_TOTALS = """
            with usage as (
                insert into ingest_hourly_usage as h (partner_id, hour, event_count, input_tokens, output_tokens, requests)
                select * from unnest(?::varchar[], ?::timestamptz[], ?::bigint[], ?::numeric[], ?::numeric[], ?::numeric[])
                order by 1, 2
                on conflict (partner_id, hour) do update
                set event_count = h.event_count + excluded.event_count,
                    input_tokens = h.input_tokens + excluded.input_tokens,
                    output_tokens = h.output_tokens + excluded.output_tokens,
                    requests = h.requests + excluded.requests)
            insert into ingest_hourly_revenue as h (partner_id, hour, currency, amount)
            select * from unnest(?::varchar[], ?::timestamptz[], ?::varchar[], ?::numeric[])
            order by 1, 2, 3
            on conflict (partner_id, hour, currency) do update set amount = h.amount + excluded.amount""";

    /* the controls overlapping [from, to), each with its window's usage totals from the hourly rows */
    private static final String LIST_CONTROLS = """
            select c.partner_id, c.event_id, c.source, c.event_time, c.window_from, c.window_to, c.event_count,
                   c.input_tokens, c.output_tokens, c.requests, c.revenue::text,
                   u.event_count, u.input_tokens, u.output_tokens, u.requests
            from control_event c
            cross join lateral (
                select coalesce(sum(h.event_count), 0) as event_count, coalesce(sum(h.input_tokens), 0) as input_tokens,
                       coalesce(sum(h.output_tokens), 0) as output_tokens, coalesce(sum(h.requests), 0) as requests
                from ingest_hourly_usage h
                where h.partner_id = c.partner_id and h.hour >= c.window_from and h.hour < c.window_to) u
            where c.partner_id = ?
              and (?::timestamptz is null or c.window_to > ?::timestamptz)
              and (?::timestamptz is null or c.window_from < ?::timestamptz)
            order by c.window_from, c.event_id
            limit ?""";

    private static final String LIST_CONTROL_REVENUE = """
            select c.event_id, h.currency, sum(h.amount)
            from control_event c
            join ingest_hourly_revenue h
              on h.partner_id = c.partner_id and h.hour >= c.window_from and h.hour < c.window_to
            where c.partner_id = ? and c.event_id = any(?::varchar[])
            group by c.event_id, h.currency""";

    private final AgroalDataSource dataSource;

    public ControlStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores the new controls of a batch and classifies every item (SPEC §2.6 idempotency, shared id space):
     * the first occurrence of an id in the batch competes with the store; later ones compare with the holder.
     * An id held by a usage event is a conflict.
     */
    public List<StoreOutcome> store(List<ControlItem> items, Instant receivedAt) throws SQLException {
        List<StoreOutcome> outcomes = new ArrayList<>(items.size());
        if (items.isEmpty()) {
            return outcomes;
        }
        Map<UsageEvent.Key, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            firstIndex.putIfAbsent(items.get(i).control().key(), i);
        }
        List<ControlItem> candidates = firstIndex.values().stream().map(items::get).toList();
        try (Connection c = dataSource.getConnection()) {
            Set<UsageEvent.Key> claimed = insert(c, candidates, receivedAt);
            List<UsageEvent.Key> unclaimed = firstIndex.keySet().stream().filter(k -> !claimed.contains(k)).toList();
            Map<UsageEvent.Key, ControlEvent> stored = find(c, unclaimed);
            for (int i = 0; i < items.size(); i++) {
                ControlEvent control = items.get(i).control();
                UsageEvent.Key key = control.key();
                boolean first = firstIndex.get(key) == i;
                if (first && claimed.contains(key)) {
                    outcomes.add(new StoreOutcome.Claimed(0));
                    continue;
                }
                ControlEvent holder = claimed.contains(key) ? items.get(firstIndex.get(key)).control() : stored.get(key);
                // no control holds the id: a usage event does (the insert's anti-join), different content
                outcomes.add(holder != null && control.sameContentAs(holder) ? new StoreOutcome.Duplicate()
                        : new StoreOutcome.Conflict());
            }
        }
        return outcomes;
    }

    private Set<UsageEvent.Key> insert(Connection c, List<ControlItem> candidates, Instant receivedAt)
            throws SQLException {
        int n = candidates.size();
        String[] partner = new String[n];
        String[] eventId = new String[n];
        String[] source = new String[n];
        String[] time = new String[n];
        String[] from = new String[n];
        String[] to = new String[n];
        Long[] count = new Long[n];
        Long[] input = new Long[n];
        Long[] output = new Long[n];
        Long[] requests = new Long[n];
        String[] revenue = new String[n];
        String[] channel = new String[n];
        byte[][] raw = new byte[n][];
        for (int i = 0; i < n; i++) {
            ControlItem item = candidates.get(i);
            ControlEvent e = item.control();
            partner[i] = e.partnerId();
            eventId[i] = e.eventId();
            source[i] = e.source();
            time[i] = e.time().toString();
            from[i] = e.from().toString();
            to[i] = e.to().toString();
            count[i] = e.eventCount();
            input[i] = e.quantity("input_tokens");
            output[i] = e.quantity("output_tokens");
            requests[i] = e.quantity("requests");
            Map<String, String> amounts = new TreeMap<>();
            e.revenue().forEach((currency, amount) -> amounts.put(currency, amount.toPlainString()));
            try {
                revenue[i] = JSON.writeValueAsString(amounts);
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            channel[i] = item.channel().name();
            raw[i] = item.raw();
        }
        Set<UsageEvent.Key> claimed = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(INSERT_CONTROLS)) {
            int p = 1;
            s.setString(p++, receivedAt.toString());
            s.setArray(p++, c.createArrayOf("varchar", partner));
            s.setArray(p++, c.createArrayOf("varchar", eventId));
            s.setArray(p++, c.createArrayOf("text", source));
            s.setArray(p++, c.createArrayOf("varchar", time));
            s.setArray(p++, c.createArrayOf("varchar", from));
            s.setArray(p++, c.createArrayOf("varchar", to));
            s.setArray(p++, c.createArrayOf("int8", count));
            s.setArray(p++, c.createArrayOf("int8", input));
            s.setArray(p++, c.createArrayOf("int8", output));
            s.setArray(p++, c.createArrayOf("int8", requests));
            s.setArray(p++, c.createArrayOf("text", revenue));
            s.setArray(p++, c.createArrayOf("varchar", channel));
            s.setArray(p++, c.createArrayOf("bytea", raw));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new UsageEvent.Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return claimed;
    }

    private Map<UsageEvent.Key, ControlEvent> find(Connection c, List<UsageEvent.Key> keys) throws SQLException {
        Map<UsageEvent.Key, ControlEvent> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (PreparedStatement s = c.prepareStatement(FIND_CONTROLS)) {
            s.setArray(1, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::partnerId).toArray()));
            s.setArray(2, c.createArrayOf("varchar", keys.stream().map(UsageEvent.Key::eventId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ControlEvent e = control(rs);
                    found.put(e.key(), e);
                }
            }
        }
        return found;
    }

    /** Which of the keys a control holds (for usage events whose id no usage event holds). */
    public Set<UsageEvent.Key> heldByControls(List<UsageEvent.Key> keys) throws SQLException {
        return find(keys).keySet();
    }

    private Map<UsageEvent.Key, ControlEvent> find(List<UsageEvent.Key> keys) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, keys);
        }
    }

    private static ControlEvent control(ResultSet rs) throws SQLException {
        Map<String, Long> quantities = new TreeMap<>();
        quantities.put("input_tokens", rs.getLong(8));
        quantities.put("output_tokens", rs.getLong(9));
        quantities.put("requests", rs.getLong(10));
        Map<String, BigDecimal> revenue = new TreeMap<>();
        try {
            JSON.readValue(rs.getString(11), REVENUE).forEach((k, v) -> revenue.put(k, new BigDecimal(v)));
        } catch (Exception e) {
            throw new IllegalStateException("unreadable revenue of control " + rs.getString(2), e);
        }
        return new ControlEvent(rs.getString(1), rs.getString(2), rs.getString(3), Instant.parse(rs.getString(4)),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getLong(7), quantities, revenue);
    }

    /**
     * Adds a batch's newly accepted usage events to their (partner, hour) totals: pre-aggregated in memory,
     * two statements whatever the batch size. Must run in the transaction that accepted them.
     */
    public void addToHourlyTotals(List<UsageEvent> accepted) throws SQLException {
        if (accepted.isEmpty()) {
            return;
        }
        record Hour(String partnerId, Instant hour) implements Comparable<Hour> {
            @Override
            public int compareTo(Hour o) {
                int p = partnerId.compareTo(o.partnerId);
                return p != 0 ? p : hour.compareTo(o.hour);
            }
        }
        Map<Hour, Totals> byHour = new TreeMap<>();
        for (UsageEvent e : accepted) {
            byHour.merge(new Hour(e.partnerId(), Totals.hourOf(e.time())), Totals.ZERO.plus(e), Totals::plus);
        }
        int n = byHour.size();
        String[] partner = new String[n];
        Timestamp[] hour = new Timestamp[n];
        Long[] count = new Long[n];
        BigDecimal[] input = new BigDecimal[n];
        BigDecimal[] output = new BigDecimal[n];
        BigDecimal[] requests = new BigDecimal[n];
        List<String> rPartner = new ArrayList<>();
        List<Timestamp> rHour = new ArrayList<>();
        List<String> rCurrency = new ArrayList<>();
        List<BigDecimal> rAmount = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Hour, Totals> e : byHour.entrySet()) {
            Totals t = e.getValue();
            partner[i] = e.getKey().partnerId();
            hour[i] = Timestamp.from(e.getKey().hour());
            count[i] = t.eventCount();
            input[i] = new BigDecimal(t.quantities().get("input_tokens"));
            output[i] = new BigDecimal(t.quantities().get("output_tokens"));
            requests[i] = new BigDecimal(t.quantities().get("requests"));
            for (Map.Entry<String, BigDecimal> r : t.revenue().entrySet()) {
                rPartner.add(partner[i]);
                rHour.add(hour[i]);
                rCurrency.add(r.getKey());
                rAmount.add(r.getValue());
            }
            i++;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ADD_HOURLY_TOTALS)) {
            s.setArray(1, c.createArrayOf("varchar", partner));
            s.setArray(2, c.createArrayOf("timestamptz", hour));
            s.setArray(3, c.createArrayOf("int8", count));
            s.setArray(4, c.createArrayOf("numeric", input));
            s.setArray(5, c.createArrayOf("numeric", output));
            s.setArray(6, c.createArrayOf("numeric", requests));
            s.setArray(7, c.createArrayOf("varchar", rPartner.toArray(String[]::new)));
            s.setArray(8, c.createArrayOf("timestamptz", rHour.toArray()));
            s.setArray(9, c.createArrayOf("varchar", rCurrency.toArray(String[]::new)));
            s.setArray(10, c.createArrayOf("numeric", rAmount.toArray()));
            s.executeUpdate();
        }
    }

    /**
     * A partner's controls whose window overlaps [{@code from}, {@code to}) (either may be null), ordered by
     * window start then control id, at most {@code limit}, each with its window's received totals.
     */
    public List<ControlWithReceived> controls(String partnerId, Instant from, Instant to, int limit)
            throws SQLException {
        List<ControlEvent> controls = new ArrayList<>();
        Map<String, long[]> counts = new HashMap<>();
        Map<String, BigInteger[]> quantities = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(LIST_CONTROLS)) {
                Timestamp fromTs = from == null ? null : Timestamp.from(from);
                Timestamp toTs = to == null ? null : Timestamp.from(to);
                s.setString(1, partnerId);
                s.setTimestamp(2, fromTs);
                s.setTimestamp(3, fromTs);
                s.setTimestamp(4, toTs);
                s.setTimestamp(5, toTs);
                s.setInt(6, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ControlEvent control = control(rs);
                        controls.add(control);
                        counts.put(control.eventId(), new long[] {rs.getLong(12)});
                        quantities.put(control.eventId(), new BigInteger[] {rs.getBigDecimal(13).toBigIntegerExact(),
                                rs.getBigDecimal(14).toBigIntegerExact(), rs.getBigDecimal(15).toBigIntegerExact()});
                    }
                }
            }
            Map<String, Map<String, BigDecimal>> revenue = new HashMap<>();
            if (!controls.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(LIST_CONTROL_REVENUE)) {
                    s.setString(1, partnerId);
                    s.setArray(2, c.createArrayOf("varchar", controls.stream().map(ControlEvent::eventId).toArray()));
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            revenue.computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
                                    .put(rs.getString(2), rs.getBigDecimal(3));
                        }
                    }
                }
            }
            List<ControlWithReceived> out = new ArrayList<>(controls.size());
            for (ControlEvent control : controls) {
                BigInteger[] q = quantities.get(control.eventId());
                Map<String, BigInteger> qm = new TreeMap<>();
                qm.put("input_tokens", q[0]);
                qm.put("output_tokens", q[1]);
                qm.put("requests", q[2]);
                out.add(new ControlWithReceived(control, new Totals(counts.get(control.eventId())[0], qm,
                        revenue.getOrDefault(control.eventId(), Map.of()))));
            }
            return out;
        }
    }

    /** The partners that have at least one control (for the status gauge's periodic refresh). */
    public List<String> partnersWithControls() throws SQLException {
        List<String> partners = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select distinct partner_id from control_event order by 1");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                partners.add(rs.getString(1));
            }
        }
        return partners;
    }
}
