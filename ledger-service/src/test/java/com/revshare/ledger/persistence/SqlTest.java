package com.revshare.ledger.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The timestamptz text of an instant names the instant truncated to the microsecond, whatever its year. */
class SqlTest {
    private static final long SEED = Long.getLong("revshare.seed", new Random().nextLong());

    @Test
    void microsNamesTheInstantTruncatedToTheMicrosecond() {
        // given seeded instants from year 1 to 9999 and beyond
        Random r = new Random(SEED);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(min + (long) (r.nextDouble() * (max - min + 1)), r.nextInt(1_000_000_000));
            // when written / then it reads back as the truncated instant
            assertEquals(t.truncatedTo(ChronoUnit.MICROS), Instant.parse(Sql.micros(t)),
                    "instant " + t + " (seed " + SEED + ", try " + i + ")");
        }
        assertEquals("2026-06-30T23:59:59.999999Z", Sql.micros(Instant.parse("2026-06-30T23:59:59.9999999Z")));
        assertEquals("1970-01-01T00:00:00.000000Z", Sql.micros(Instant.EPOCH));
        assertEquals("+10000-01-01T00:00:00Z", Sql.micros(Instant.parse("+10000-01-01T00:00:00Z")));
    }
}
