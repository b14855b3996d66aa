package com.revshare.ingest.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Parses RFC 3339 {@code date-time} exactly as its ABNF says (section 5.6): a full date, {@code T},
 * a full time with an optional fraction of any number of digits and a mandatory offset ({@code Z} or
 * {@code ±hh:mm}). {@code T} and {@code Z} may be lower case (RFC 3339 §5.6 note). An {@link Instant}
 * keeps nanoseconds, so fraction digits beyond the ninth are truncated. A leap second ({@code :60}) is
 * accepted where UTC can have one, at 23:59:60 UTC whatever the offset, and normalised to 23:59:59 as
 * java.time's ISO_INSTANT does. The instant must fall in the years 0000–9999 in UTC, so its normalised
 * form is RFC 3339 too.
 */
public final class Rfc3339 {
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");
    private Rfc3339() {
    }

    /** The instant, or null when {@code s} is not an RFC 3339 date-time with offset. */
    public static Instant parse(String s) {
        int n = s.length();
        if (n < 20) {
            return null;
        }
        if (!digits(s, 0, 4) || s.charAt(4) != '-' || !digits(s, 5, 2) || s.charAt(7) != '-' || !digits(s, 8, 2)
                || (s.charAt(10) != 'T' && s.charAt(10) != 't') || !digits(s, 11, 2) || s.charAt(13) != ':'
                || !digits(s, 14, 2) || s.charAt(16) != ':' || !digits(s, 17, 2)) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            int count = i - start;
            if (count == 0) {
                return null;
            }
            String digits = count > 9 ? s.substring(start, start + 9) : s.substring(start, i) + "000000000".substring(count);
            nanos = Integer.parseInt(digits);
        }
        if (i >= n) {
            return null;
        }
        int offsetSeconds;
        char c = s.charAt(i);
        if (c == 'Z' || c == 'z') {
            offsetSeconds = 0;
            i++;
        } else if (c == '+' || c == '-') {
            if (i + 6 != n || !digits(s, i + 1, 2) || s.charAt(i + 3) != ':' || !digits(s, i + 4, 2)) {
                return null;
            }
            int hours = number(s, i + 1, 2);
            int minutes = number(s, i + 4, 2);
            if (hours > 23 || minutes > 59) {
                return null;
            }
            offsetSeconds = (hours * 3600 + minutes * 60) * (c == '-' ? -1 : 1);
            i += 6;
        } else {
            return null;
        }
        if (i != n) {
            return null;
        }
        int second = number(s, 17, 2);
        boolean leapSecond = second == 60;
        try {
            LocalDateTime local = LocalDateTime.of(number(s, 0, 4), number(s, 5, 2), number(s, 8, 2),
                    number(s, 11, 2), number(s, 14, 2), leapSecond ? 59 : second, nanos);
            // offsets up to ±23:59 are valid RFC 3339, beyond java.time's ±18:00 ZoneOffset range
            Instant instant = local.toInstant(ZoneOffset.UTC).minusSeconds(offsetSeconds);
            if (leapSecond && Math.floorMod(instant.getEpochSecond(), 86_400) != 86_399) {
                return null; // a leap second is only ever 23:59:60 UTC
            }
            // the UTC form must itself be an RFC 3339 date-time (years 0000-9999)
            return instant.isBefore(FIRST) || instant.isAfter(LAST) ? null : instant;
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String s, int from, int count) {
        return Integer.parseInt(s, from, from + count, 10);
    }
}
