package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Small JDBC helpers; {@link #ROUND_TRIPS} counts every statement the stores execute (metric and tests). */
public final class Sql {
    /** Statements executed by this process's stores (one statement = one round trip). */
    public static final AtomicLong ROUND_TRIPS = new AtomicLong();
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

    static Array texts(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
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
        return t.truncatedTo(java.time.temporal.ChronoUnit.MICROS).toString();
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
