package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** SPEC §3.5: an instant's period is its UTC calendar month, to the last nanosecond of the month. */
class PeriodsTest {
    @Test
    void thePeriodOfAnInstantIsItsUtcMonth() {
        Seeded.forAll("period = YearMonth of the UTC date-time", 1000, r -> {
            // given any instant from year -9999 to 9999, and the instants around a month boundary
            long second = -377_705_116_800L + (long) (r.nextDouble() * 693_937_152_000L);
            Instant t = Instant.ofEpochSecond(second, r.nextInt(1_000_000_000));
            YearMonth month = YearMonth.of(1970 + r.nextInt(100), 1 + r.nextInt(12));
            Instant start = Periods.start(month);
            for (Instant i : new Instant[] {t, start, start.minusNanos(1), start.plusNanos(1)}) {
                // then the period is the one the UTC date-time names
                assertEquals(YearMonth.from(i.atOffset(ZoneOffset.UTC)), Periods.of(i), i.toString());
            }
        });
        assertEquals(YearMonth.of(2026, 6), Periods.of(Instant.parse("2026-06-30T23:59:59.999999999Z")));
        assertEquals(YearMonth.of(1969, 12), Periods.of(Instant.parse("1969-12-31T23:59:59.999999999Z")));
    }
}
