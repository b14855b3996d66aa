package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** The two roundings of SPEC §3.4, in one place. */
public final class Money {
    public static final int ENTRY_SCALE = 8;
    public static final BigDecimal ZERO8 = BigDecimal.ZERO.setScale(ENTRY_SCALE);

    private Money() {
    }

    /** An entry's amount: HALF_EVEN to 8 fraction digits, applied once to the exact result. */
    public static BigDecimal round8(BigDecimal exact) {
        return exact.setScale(ENTRY_SCALE, RoundingMode.HALF_EVEN);
    }

    /** The ISO 4217 minor unit of a currency (USD 2, JPY 0, BHD 3); 2 where ISO defines none. */
    public static int minorUnit(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return digits < 0 ? 2 : digits;
    }

    /** A statement's amountDue: the exact sum rounded HALF_EVEN to the currency's minor unit. */
    public static BigDecimal amountDue(BigDecimal exactTotal, String currency) {
        return exactTotal.setScale(minorUnit(currency), RoundingMode.HALF_EVEN);
    }

    /** True for an upper-case ISO 4217 code the JDK knows. */
    public static boolean isCurrencyCode(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
