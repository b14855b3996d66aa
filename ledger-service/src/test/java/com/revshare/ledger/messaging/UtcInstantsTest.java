package com.revshare.ledger.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The fast path of event times reads exactly what {@link Instant#parse} reads, and refuses exactly what it
 * refuses. Seeded generators (the seed is printed with any failure; {@code -Drevshare.seed=N} replays it).
 */
class UtcInstantsTest {
    private static final long SEED = Long.getLong("revshare.seed", new Random().nextLong());
    private static final String CHARS = "0123456789-:.TZtz+ ";

    /** What Instant.parse answers: the instant's text, or "refused". */
    private static String reference(String text) {
        try {
            return Instant.parse(text).toString();
        } catch (RuntimeException e) {
            return "refused";
        }
    }

    private static String fastPath(String text) {
        try {
            return UtcInstants.parse(text).toString();
        } catch (RuntimeException e) {
            return "refused";
        }
    }

    private static String generated(Random r) {
        int year = r.nextInt(10) < 8 ? 1970 + r.nextInt(200) : r.nextInt(10_000);
        String t = String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, 1 + r.nextInt(13), 1 + r.nextInt(32),
                r.nextInt(25), r.nextInt(61), r.nextInt(61));
        int fraction = r.nextInt(11); // 0: none, 10: a lone '.'
        if (fraction == 10) {
            t += ".";
        } else if (fraction > 0) {
            StringBuilder f = new StringBuilder(".");
            for (int i = 0; i < fraction; i++) {
                f.append((char) ('0' + r.nextInt(10)));
            }
            t += f;
        }
        return t + (r.nextInt(20) == 0 ? "+01:00" : "Z");
    }

    private static String mutated(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits && b.length() > 0; i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.setCharAt(at, CHARS.charAt(r.nextInt(CHARS.length())));
                case 1 -> b.deleteCharAt(at);
                default -> b.insert(at, CHARS.charAt(r.nextInt(CHARS.length())));
            }
        }
        return b.toString();
    }

    @Test
    void generatedAndMutatedTimesReadAsInstantParseReadsThem() {
        // given seeded times of every shape, valid, out of range and mutated
        Random r = new Random(SEED);
        for (int i = 0; i < 200_000; i++) {
            String text = generated(r);
            if (r.nextBoolean()) {
                text = mutated(r, text);
            }
            // when / then
            assertEquals(reference(text), fastPath(text), "time \"" + text + "\" (seed " + SEED + ", try " + i + ")");
        }
    }

    @Test
    void theCommonSpellingsTakeTheFastPathAndTheRestFallsBack() {
        // given what ingest forwards
        assertNotNull(UtcInstants.fast("2026-11-01T12:00:00Z"));
        assertNotNull(UtcInstants.fast("2026-11-01T12:00:00.412Z"));
        assertEquals(Instant.parse("2026-06-30T23:59:59.999999999Z"), UtcInstants.fast("2026-06-30T23:59:59.999999999Z"));
        assertEquals(Instant.parse("2024-02-29T00:00:00.1Z"), UtcInstants.fast("2024-02-29T00:00:00.1Z"));
        // and what only Instant.parse decides
        assertNull(UtcInstants.fast("2026-11-01T12:00:00+01:00"));
        assertNull(UtcInstants.fast("2016-12-31T23:59:60Z")); // a leap second
        assertNull(UtcInstants.fast("2023-02-29T00:00:00Z"));
        assertNull(UtcInstants.fast("+12026-11-01T12:00:00Z"));
        assertNull(UtcInstants.fast("2026-11-01T12:00:00.Z"));
        assertEquals(Instant.parse("2016-12-31T23:59:60Z"), UtcInstants.parse("2016-12-31T23:59:60Z"));
    }
}
