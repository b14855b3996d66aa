package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** SPEC §3.8 on the pure domain: allocation oldest first, credit from negative periods, aging. */
class SettlementsTest {
    private static BigDecimal d(String text) {
        return new BigDecimal(text);
    }

    private static Settlements.BilledPeriod billed(String period, String closedOn, String amountDue) {
        return new Settlements.BilledPeriod(period, LocalDate.parse(closedOn), d(amountDue));
    }

    private static Settlements.Payment paid(String on, String amount) {
        return new Settlements.Payment(LocalDate.parse(on), d(amount));
    }

    @Test
    void paymentsGoToTheOldestBilledPeriodFirstAndTheRestIsAged() {
        // given two billed periods (terms 30: due 2026-10-31 and 2026-12-01) and one payment
        List<Settlements.BilledPeriod> closed = List.of(billed("2026-10", "2026-11-02", "300.00"),
                billed("2026-09", "2026-10-02", "100.00"));
        List<Settlements.Payment> payments = List.of(paid("2026-11-10", "150.00"), paid("2026-12-20", "999.00"));

        // when settled as of 2026-12-15
        Settlements.Receivable r = Settlements.asOf(LocalDate.parse("2026-12-15"), 30, 2, closed, payments);

        // then 2026-09 is paid, 2026-10 keeps 250.00, 14 days past due; the later payment does not count
        assertEquals(d("400.00"), r.billed());
        assertEquals(d("150.00"), r.paid());
        assertEquals(d("250.00"), r.outstanding());
        assertEquals(d("0.00"), r.unallocated());
        assertEquals(LocalDate.parse("2026-10-31"), r.periods().get(0).dueOn());
        assertEquals(d("100.00"), r.periods().get(0).allocated());
        assertEquals(d("50.00"), r.periods().get(1).allocated());
        assertEquals(14, r.periods().get(1).daysPastDue());
        assertEquals(Map.of("current", d("0.00"), "1-30", d("250.00"), "31-60", d("0.00"), "61-90", d("0.00"),
                "90+", d("0.00")), r.aging());
    }

    @Test
    void aNegativePeriodIsCreditAndNothingIsBilledBeforeTheClose() {
        // given a credit period, a period closed after the report date, and a payment
        List<Settlements.BilledPeriod> closed = List.of(billed("2026-08", "2026-09-01", "-40.00"),
                billed("2026-09", "2026-10-01", "100.00"), billed("2026-10", "2026-11-05", "70.00"));
        List<Settlements.Payment> payments = List.of(paid("2026-10-15", "80.00"));

        // when settled as of 2026-11-01 with terms 0
        Settlements.Receivable r = Settlements.asOf(LocalDate.parse("2026-11-01"), 0, 2, closed, payments);

        // then the credit (40 + 80) pays 2026-09 in full and 20.00 is left unallocated; 2026-10 is not billed
        assertEquals(d("60.00"), r.billed());
        assertEquals(d("80.00"), r.paid());
        assertEquals(d("0.00"), r.outstanding());
        assertEquals(d("20.00"), r.unallocated());
        assertEquals(2, r.periods().size());
        assertEquals(d("0.00"), r.periods().get(0).allocated(), "a negative period takes no allocation");
    }

    @Test
    void agingBucketsFollowDaysPastDue() {
        assertEquals("current", Settlements.bucket(0));
        assertEquals("1-30", Settlements.bucket(1));
        assertEquals("1-30", Settlements.bucket(30));
        assertEquals("31-60", Settlements.bucket(31));
        assertEquals("61-90", Settlements.bucket(90));
        assertEquals("90+", Settlements.bucket(91));
        assertEquals(LocalDate.parse("2027-01-01"), Settlements.dueOn("2026-12", 0));
        assertEquals(LocalDate.parse("2027-03-01").plusDays(365), Settlements.dueOn("2027-02", 365));
    }

    /**
     * Property (seeded, the seed printed): for any periods and payments, billed − paid =
     * outstanding − unallocated, the aging sums to outstanding, and no period is allocated more
     * than its amountDue nor less than 0.
     */
    @Test
    void billedMinusPaidIsOutstandingMinusUnallocatedAndAllocationNeverExceedsAmountDue() {
        long seed = Long.getLong("revshare.seed", System.nanoTime());
        System.out.println("SettlementsTest seed " + seed + " (rerun with -Drevshare.seed=" + seed + ")");
        Random random = new Random(seed);
        for (int run = 0; run < 2000; run++) {
            int scale = random.nextInt(4);
            List<Settlements.BilledPeriod> closed = new ArrayList<>();
            int periods = random.nextInt(8);
            for (int i = 0; i < periods; i++) {
                String period = String.format("20%02d-%02d", 20 + i / 12, 1 + i % 12);
                BigDecimal due = BigDecimal.valueOf(random.nextInt(2_000_000) - 400_000, scale);
                closed.add(new Settlements.BilledPeriod(period, LocalDate.of(2020, 1, 1).plusDays(random.nextInt(3000)),
                        due));
            }
            List<Settlements.Payment> payments = new ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                payments.add(new Settlements.Payment(LocalDate.of(2020, 1, 1).plusDays(random.nextInt(3000)),
                        BigDecimal.valueOf(1 + random.nextInt(1_500_000), scale)));
            }
            LocalDate asOf = LocalDate.of(2020, 1, 1).plusDays(random.nextInt(3200));
            Settlements.Receivable r = Settlements.asOf(asOf, random.nextInt(366), scale, closed, payments);
            String where = "seed " + seed + ", run " + run;
            assertEquals(0, r.billed().subtract(r.paid()).compareTo(r.outstanding().subtract(r.unallocated())), where);
            assertEquals(0, r.aging().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                    .compareTo(r.outstanding()), where);
            assertTrue(r.unallocated().signum() >= 0, where);
            for (Settlements.PeriodSettlement p : r.periods()) {
                assertTrue(p.allocated().signum() >= 0, where);
                assertTrue(p.amountDue().signum() <= 0 || p.allocated().compareTo(p.amountDue()) <= 0, where);
                assertEquals(0, p.amountDue().signum() <= 0 ? 0 : p.allocated().add(p.outstanding())
                        .compareTo(p.amountDue()), where);
            }
        }
    }
}
