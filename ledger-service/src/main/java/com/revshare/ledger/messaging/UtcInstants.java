package com.revshare.ledger.messaging;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#parse} with a fast path for the one spelling ingest forwards
 * ({@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, 1 to 9 fraction digits): read digit by digit instead of through
 * {@code DateTimeFormatter} (issue 14's profile: its field map was a tenth of reading an accepted record).
 * Anything else — another year width, an offset, a leap second, a value out of range — goes to
 * {@link Instant#parse} itself, so what is accepted, refused and the instant read are exactly its own
 * (UtcInstantsTest compares both on generated and mutated texts).
 */
final class UtcInstants {
    private UtcInstants() {
    }

    /** The instant, or the DateTimeParseException of {@link Instant#parse}. */
    static Instant parse(String text) {
        Instant fast = fast(text);
        return fast != null ? fast : Instant.parse(text);
    }

    /** The instant of the common spelling, or null for anything the fast path does not decide. */
    static Instant fast(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21; // between the '.' and the 'Z'
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, fraction);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The value of {@code count} ASCII digits from {@code from}, or -1 when one is no digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
