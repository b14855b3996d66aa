package com.revshare.reporting.domain;

import java.util.regex.Pattern;

/** Booking periods are UTC calendar months written {@code YYYY-MM}; their text sorts chronologically. */
public final class Periods {
    private static final Pattern PERIOD = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");

    private Periods() {
    }

    public static boolean isValid(String text) {
        return text != null && PERIOD.matcher(text).matches();
    }
}
