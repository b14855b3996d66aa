package com.revshare.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The demo data's promises that need no running system: determinism, unique ids, aging buckets. */
class DemoDataTest {
    private static final DemoData.Partner AWS = DemoData.partners("").get(0);

    @Test
    void anHoursEventsAreTheSameWhateverTheWindowThatGeneratesThem() {
        // given a short window and a longer one that contains it
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        Instant cut = Instant.parse("2026-06-10T13:37:00Z");
        // when both are generated
        List<DemoData.Event> shorter = DemoData.feed(AWS, start, cut, 3000, 42);
        List<DemoData.Event> longer = DemoData.feed(AWS, start, cut.plus(3, ChronoUnit.DAYS), 3000, 42);
        // then the longer one begins with exactly the shorter one, and every id is unique
        assertTrue(shorter.size() > 100, "a few thousand events a month: " + shorter.size());
        assertEquals(shorter, longer.subList(0, shorter.size()));
        Set<String> ids = new HashSet<>();
        longer.forEach(e -> assertTrue(ids.add(e.id()), "duplicate id " + e.id()));
        longer.forEach(e -> assertTrue(e.id().length() <= 128 && e.id().chars().allMatch(c -> c >= 0x20 && c <= 0x7e)));
        assertTrue(shorter.stream().allMatch(e -> e.time().isBefore(cut)));
    }

    @Test
    void theVolumePerMonthIsAboutTheConfiguredOne() {
        // given June 2026 (720 hours) at 3000 events a month over all partners
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        Instant end = Instant.parse("2026-07-01T00:00:00Z");
        // when every partner's feed is generated
        long total = DemoData.partners("").stream().mapToLong(p -> DemoData.feed(p, start, end, 3000, 42).size()).sum();
        // then it is within 10 % of 3000 * 720 / 730
        assertTrue(Math.abs(total - 3000 * 720 / 730.0) < 300, "events in June: " + total);
    }

    @Test
    void theLatePayersTermsAgeItsFiveLastMonthsIntoTheFiveBucketsOnEveryDay() {
        // given every day of five years
        for (LocalDate today = LocalDate.of(2026, 1, 1); today.isBefore(LocalDate.of(2031, 1, 1));
                today = today.plusDays(1)) {
            // when the late payer's terms are chosen for that day
            int terms = DemoSeeder.lateTermsDays(today);
            // then the k-th last month (due on the first of the month after it + terms) ages into bucket k
            List<String> buckets = List.of("current", "1-30", "31-60", "61-90", "90+");
            for (int k = 1; k <= 5; k++) {
                LocalDate dueOn = today.withDayOfMonth(1).minusMonths(k - 1L).plusDays(terms);
                long daysPastDue = ChronoUnit.DAYS.between(dueOn, today);
                assertEquals(buckets.get(k - 1), bucket(daysPastDue), today + " terms " + terms + " month " + k);
            }
            // and they stay right for at least the next 25 days
            LocalDate later = today.plusDays(25);
            LocalDate lastDue = today.withDayOfMonth(1).minusMonths(1).plusDays(terms);
            assertEquals("1-30", bucket(ChronoUnit.DAYS.between(lastDue, later)), today + " + 25 days");
        }
    }

    private static String bucket(long daysPastDue) {
        return daysPastDue <= 0 ? "current" : daysPastDue <= 30 ? "1-30" : daysPastDue <= 60 ? "31-60"
                : daysPastDue <= 90 ? "61-90" : "90+";
    }
}
