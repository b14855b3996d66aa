package com.revshare.ledger.domain;

import java.math.BigDecimal;

/**
 * The bounds that keep every accepted value exact and storable (SPEC §2.1, §3.1, §3.7 v2), in one place.
 * With every bound at its maximum the products still fit the ledger's columns: a PER_UNIT share is at
 * most 10^15 (quantity) × 10^6 (unitPrice) / 1 = 10^21, a PERCENT_OF_REVENUE share at most
 * 10^18 (revenue) × 10^6 (FX rate) × 10^6 (rate) = 10^30, a graduated tier price over a basis of at
 * most 10^18 × 10^6 (revenue tiers) times a price below 10^6 likewise below 10^30; a minimum or cap
 * true-up is below 10^18 plus a period total; all well inside numeric(40,8) (32 integer digits). Text
 * fields are bounded so that no entry JSON comes near a broker message (1 MB).
 */
public final class Bounds {
    /** {@code rate} and {@code unitPrice}: at most 6 integer digits. */
    public static final int PRICE_INTEGER_DIGITS = 6;
    /** {@code rate} and {@code unitPrice}: at most 12 fraction digits. */
    public static final int PRICE_FRACTION_DIGITS = 12;
    /** {@code monthlyMinimum}, {@code monthlyCap} and adjustment amounts: at most 18 integer digits. */
    public static final int AMOUNT_INTEGER_DIGITS = 18;
    /** {@code monthlyMinimum}, {@code monthlyCap} and adjustment amounts: at most 8 fraction digits. */
    public static final int AMOUNT_FRACTION_DIGITS = 8;
    /** A tier's {@code upTo}: at most 10^18. */
    public static final BigDecimal TIER_UP_TO_MAX = BigDecimal.TEN.pow(18);
    /** An FX rate: at most 6 integer digits. */
    public static final int FX_RATE_INTEGER_DIGITS = 6;
    /** An FX rate: at most 10 fraction digits. */
    public static final int FX_RATE_FRACTION_DIGITS = 10;
    /** Every memo and reference field: at most 1000 Unicode code points. */
    public static final int MEMO_CODE_POINTS = 1000;

    private Bounds() {
    }

    /** The number of integer digits of a non-negative or negative decimal (0 has one). */
    public static int integerDigits(BigDecimal d) {
        BigDecimal abs = d.abs();
        return abs.compareTo(BigDecimal.ONE) < 0 ? 1 : abs.precision() - abs.scale();
    }

    /** The number of fraction digits as written (a positive scale), 0 for an integer. */
    public static int fractionDigits(BigDecimal d) {
        return Math.max(0, d.scale());
    }

    /** A required memo: not blank, at most 1000 code points; else a 400 naming {@code field}. */
    public static String memo(String field, String memo) {
        if (memo == null || memo.isBlank()) {
            throw new InvalidFieldException(field, field + " is required");
        }
        return optionalText(field, memo);
    }

    /** An optional memo or reference: null, or at most 1000 code points; else a 400 naming {@code field}. */
    public static String optionalText(String field, String text) {
        if (text != null && text.codePointCount(0, text.length()) > MEMO_CODE_POINTS) {
            throw new InvalidFieldException(field, field + " must be at most " + MEMO_CODE_POINTS
                    + " Unicode code points");
        }
        return text;
    }
}
