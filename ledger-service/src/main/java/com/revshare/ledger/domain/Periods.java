package com.revshare.ledger.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A period is a UTC calendar month (SPEC §3.5). */
public final class Periods {
    private Periods() {
    }

    public static YearMonth of(Instant instant) {
        // the UTC day by arithmetic: YearMonth.from(OffsetDateTime) queried its way through the chronology
        // for every event, several times per event (issue 14 profile: 1.5% of the ledger's CPU)
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(instant.getEpochSecond(), 86_400L));
        return YearMonth.of(day.getYear(), day.getMonthValue());
    }

    public static Instant start(YearMonth period) {
        return period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public static Instant end(YearMonth period) {
        return start(period.plusMonths(1));
    }

    /** A period as the API names it, {@code YYYY-MM}; else a 400 naming {@code field}. */
    public static YearMonth parse(String text, String field) {
        if (text == null || !text.matches("[0-9]{4}-(0[1-9]|1[0-2])")) {
            throw new InvalidFieldException(field, field + " must be YYYY-MM");
        }
        return YearMonth.parse(text);
    }
}
