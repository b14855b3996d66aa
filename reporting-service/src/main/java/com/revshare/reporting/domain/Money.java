package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** The one place where report figures get their scale (SPEC §3.4, §6). */
public final class Money {
    /** Ledger amounts are exact at 8 fraction digits. */
    public static final int AMOUNT_SCALE = 8;

    /** Integer digits an amount column (numeric(38, 8)) holds. */
    public static final int AMOUNT_INTEGER_DIGITS = 30;

    private Money() {
    }

    /** An exact ledger amount at scale 8; more non-zero fraction digits are a contract violation. */
    public static BigDecimal amount(BigDecimal value) {
        return value.setScale(AMOUNT_SCALE, RoundingMode.UNNECESSARY);
    }

    /**
     * amountDue: the exact total rounded HALF_EVEN to the currency's ISO 4217 minor unit. A
     * currency without a minor unit (e.g. XAU) keeps the ledger scale.
     */
    public static BigDecimal amountDue(BigDecimal total, String currencyCode) {
        int digits = minorUnitDigits(currencyCode);
        return total.setScale(digits < 0 ? AMOUNT_SCALE : digits, RoundingMode.HALF_EVEN);
    }

    public static int minorUnitDigits(String currencyCode) {
        try {
            return Currency.getInstance(currencyCode).getDefaultFractionDigits();
        } catch (IllegalArgumentException | NullPointerException e) {
            return -1;
        }
    }

    /**
     * Revenue sums are exact (settlementRevenue may carry up to 18 fraction digits after FX
     * conversion): shown with at least 8 fraction digits, more only where they are not zero.
     */
    public static BigDecimal revenue(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.setScale(Math.max(AMOUNT_SCALE, stripped.scale()), RoundingMode.UNNECESSARY);
    }
}
