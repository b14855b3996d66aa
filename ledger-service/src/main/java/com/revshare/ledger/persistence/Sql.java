package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Small JDBC helpers; {@link #ROUND_TRIPS} counts every statement the stores execute (metric and tests). */
public final class Sql {
    /** Statements executed by this process's stores (one statement = one round trip). */
    public static final AtomicLong ROUND_TRIPS = new AtomicLong();
    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000};
    private static final ThreadLocal<long[]> THREAD_ROUND_TRIPS = ThreadLocal.withInitial(() -> new long[1]);

    private Sql() {
    }

    static void count() {
        ROUND_TRIPS.incrementAndGet();
        THREAD_ROUND_TRIPS.get()[0]++;
    }

    /** Statements executed so far by the calling thread (to measure a use case's round trips). */
    public static long threadRoundTrips() {
        return THREAD_ROUND_TRIPS.get()[0];
    }

    /**
     * The one way this package binds multi-row parameters: one {@code ?::text[]} array per column,
     * filled row by row (values as {@link #text} writes them), cast back in SQL ({@code unnest(…) as
     * k(a, b) … k.b::numeric}). A batch of any size is then one statement.
     */
    static final class Columns {
        private final List<List<String>> columns = new ArrayList<>();

        Columns(int count) {
            for (int i = 0; i < count; i++) {
                columns.add(new ArrayList<>());
            }
        }

        /** Adds a row: one value per column, in column order. */
        Columns row(Object... values) {
            if (values.length != columns.size()) {
                throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
            }
            for (int i = 0; i < values.length; i++) {
                columns.get(i).add(text(values[i]));
            }
            return this;
        }

        boolean isEmpty() {
            return columns.isEmpty() || columns.get(0).isEmpty();
        }

        /** {@code ?::text[], ?::text[], …}: the placeholders of {@code unnest(…)}. */
        String placeholders() {
            return String.join(", ", java.util.Collections.nCopies(columns.size(), "?::text[]"));
        }

        /** Binds the columns from parameter {@code first} on; returns the next parameter index. */
        int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
            int i = first;
            for (List<String> column : columns) {
                ps.setArray(i++, texts(c, column));
            }
            return i;
        }
    }

    /**
     * A text[] parameter sent in PostgreSQL's binary array format: the driver encodes a {@code String[]}
     * as binary but an {@code Object[]} as an array literal, quoting and escaping every element for the
     * server to parse again (issue 14's profile: a tenth of the ledger's CPU).
     */
    static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * An instant as timestamptz text truncated to the microsecond: PostgreSQL would round a finer
     * fraction, possibly into the next day or month. The rest is kept by {@link #subMicroNanos}.
     */
    static String micros(Instant t) {
        java.time.LocalDateTime utc = java.time.LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0,
                java.time.ZoneOffset.UTC);
        if (utc.getYear() < 1 || utc.getYear() > 9999) {
            return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
        }
        // written digit by digit (issue 14 profile: Instant.toString's formatter was 3% of the ledger's CPU)
        StringBuilder b = new StringBuilder(27);
        pad(b, utc.getYear(), 4).append('-');
        pad(b, utc.getMonthValue(), 2).append('-');
        pad(b, utc.getDayOfMonth(), 2).append('T');
        pad(b, utc.getHour(), 2).append(':');
        pad(b, utc.getMinute(), 2).append(':');
        pad(b, utc.getSecond(), 2).append('.');
        return pad(b, t.getNano() / 1000, 6).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        for (int unit = POWERS_OF_TEN[width - 1]; unit > 0; unit /= 10) {
            b.append((char) ('0' + value / unit % 10));
        }
        return b;
    }

    /** The nanoseconds of an instant below the microsecond (0..999). */
    static int subMicroNanos(Instant t) {
        return t.getNano() % 1000;
    }

    /** The exact event time: event_time (microseconds) plus event_time_nanos. */
    static Instant eventTime(ResultSet rs) throws SQLException {
        Instant t = instant(rs, "event_time");
        return t == null ? null : t.plusNanos(rs.getInt("event_time_nanos"));
    }

    static YearMonth period(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : YearMonth.parse(s.trim());
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static String trimmed(ResultSet rs, String column) throws SQLException {
        String s = rs.getString(column);
        return s == null ? null : s.trim();
    }
}
