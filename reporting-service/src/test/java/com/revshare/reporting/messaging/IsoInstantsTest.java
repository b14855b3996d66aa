package com.revshare.reporting.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The fast instant reader accepts and refuses exactly what {@code OffsetDateTime.parse(text,
 * ISO_OFFSET_DATE_TIME)} does and gives the same instant: over the ledger's own shape, near misses of
 * it (bad digits, days past the month's end, fractions of 0 or 10 digits, offsets, leap seconds) and
 * random mutations. Seeded: a failure names the seed ({@code -Drevshare.seed=N} replays the run).
 */
class IsoInstantsTest {
    private static final String[] EDGES = { "2026-11-01T12:00:00Z", "2026-11-01T12:00:00.412Z",
        "2026-11-01T12:00:00.123456789Z", "2026-11-01T12:00:00.1234567891Z", "2026-11-01T12:00:00.Z",
        "2026-02-29T00:00:00Z", "2024-02-29T23:59:59.999Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z", "2026-11-01T24:00:00Z", "2026-11-01T23:60:00Z", "2026-11-01T23:59:60Z",
        "2026-11-01T12:00:00+01:00", "2026-11-01T12:00:00.5-05:30", "2026-11-01T12:00Z", "2026-11-01 12:00:00Z",
        "2026-11-01t12:00:00Z", "2026-11-01T12:00:00z", "+2026-11-01T12:00:00Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z", "2026-1-01T12:00:00Z", "2026-11-01T12:00:0aZ", "", "Z",
        "2026-11-01T12:00:00.41 Z", "2026-11-01T12:00:00,412Z" };

    @Test
    void theFastPathAgreesWithTheFormatterOnEdges() {
        for (String text : EDGES) {
            assertSame(text);
        }
    }

    @Test
    void theFastPathAgreesWithTheFormatterOnRandomTexts() {
        long base = Long.getLong("revshare.seed", new SplittableRandom().nextLong());
        Random random = new Random(base);
        for (int i = 0; i < 20_000; i++) {
            String text = random(random);
            try {
                assertSame(text);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + base + " (-Drevshare.seed=" + base + "), text " + text, e);
            }
        }
    }

    @Test
    void theLedgersShapeTakesTheFastPath() {
        // given what Instant.toString writes, when read, then without the formatter and to the nanosecond
        Instant t = Instant.parse("2026-11-01T12:00:00.412345Z");
        assertNotNull(IsoInstants.fast(t.toString()));
        assertEquals(t, IsoInstants.parse(t.toString()));
    }

    private static void assertSame(String text) {
        Instant want;
        try {
            want = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            want = null;
        }
        Instant got;
        try {
            got = IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            got = null;
        }
        assertEquals(want, got, "instant of '" + text + "'");
    }

    /** A text in the ledger's shape with random fields, sometimes mutated at one place. */
    private static String random(Random r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format("%04d-%02d-%02dT%02d:%02d:%02d", r.nextInt(10_000), r.nextInt(14), r.nextInt(33),
                r.nextInt(25), r.nextInt(61), r.nextInt(61)));
        int fraction = r.nextInt(12);
        if (fraction > 0 && fraction < 11) {
            s.append('.');
            for (int i = 0; i < fraction - 1; i++) {
                s.append((char) ('0' + r.nextInt(10)));
            }
        }
        s.append(r.nextInt(10) == 0 ? "+02:00" : "Z");
        if (r.nextInt(4) == 0 && s.length() > 0) {
            int at = r.nextInt(s.length());
            String alphabet = "0123456789-:T.Z+ zt";
            s.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
