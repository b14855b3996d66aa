package com.revshare.ledger.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** A period is a UTC calendar month (SPEC §3.5). */
public final class Periods {
    private Periods() {
    }

    public static YearMonth of(Instant instant) {
        return YearMonth.from(instant.atOffset(ZoneOffset.UTC));
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
