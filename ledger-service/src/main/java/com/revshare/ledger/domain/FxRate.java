package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * An FX rate of SPEC §3.3: 1 {@code base} = {@code rate} {@code quote} on a UTC date; no inverse or
 * cross rates. {@link #parse} is its validation, {@link #reconcile} its immutability.
 */
public record FxRate(LocalDate date, String base, String quote, BigDecimal rate) {
    private static final Pattern RATE = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]{1,10})?");

    /** Validates a rate as the API receives it; each field's error names it (SPEC §5: 400). */
    public static FxRate parse(String dateText, String base, String quote, String rateText) {
        LocalDate date;
        try {
            date = LocalDate.parse(dateText);
        } catch (RuntimeException e) {
            throw new InvalidFieldException("date", "date must be an ISO date YYYY-MM-DD");
        }
        if (!Money.isCurrencyCode(base)) {
            throw new InvalidFieldException("base", "base must be an upper-case ISO 4217 code");
        }
        if (!Money.isCurrencyCode(quote)) {
            throw new InvalidFieldException("quote", "quote must be an upper-case ISO 4217 code");
        }
        if (base.equals(quote)) {
            throw new InvalidFieldException("quote", "quote must differ from base");
        }
        if (rateText == null || !RATE.matcher(rateText).matches() || new BigDecimal(rateText).signum() <= 0
                || Bounds.integerDigits(new BigDecimal(rateText)) > Bounds.FX_RATE_INTEGER_DIGITS) {
            throw new InvalidFieldException("rate",
                    "rate must be a decimal string > 0 with at most 6 integer and 10 fraction digits");
        }
        return new FxRate(date, base, quote, new BigDecimal(rateText));
    }

    /**
     * A rate is immutable once set: setting the same (date, base, quote) again is answered with the
     * stored rate when the rate is equal (compareTo, so 1.10 = 1.1), and refused (409) otherwise.
     * Returns true when {@code stored} is this rate again.
     */
    public boolean reconcile(FxRate stored) {
        if (stored.rate().compareTo(rate) != 0) {
            throw new LedgerConflictException("the rate of " + base + "/" + quote + " on " + date
                    + " is already set to " + stored.rate().toPlainString() + " and is immutable");
        }
        return true;
    }
}
