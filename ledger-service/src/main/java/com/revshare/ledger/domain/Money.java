package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.revshare.platform.Iso4217;

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

    /** The ISO 4217 minor unit of a currency (USD 2, JPY 0, BHD 3); 2 where ISO defines none (one policy: platform's). */
    public static int minorUnit(String currency) {
        return Iso4217.minorUnit(currency);
    }

    /** A statement's amountDue: the exact sum rounded HALF_EVEN to the currency's minor unit. */
    public static BigDecimal amountDue(BigDecimal exactTotal, String currency) {
        return exactTotal.setScale(minorUnit(currency), RoundingMode.HALF_EVEN);
    }

    /** True for an upper-case code of the one ISO 4217 list of every service ({@link Iso4217}). */
    public static boolean isCurrencyCode(String code) {
        return Iso4217.isCode(code);
    }
}
