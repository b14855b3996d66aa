package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

import com.revshare.platform.Iso4217;

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

    /** Minor-unit digits where ISO 4217 defines none (XAU, XDR …): the platform's, what the ledger's balance uses. */
    public static final int DEFAULT_MINOR_UNIT_DIGITS = Iso4217.DEFAULT_MINOR_UNIT;

    /**
     * amountDue: the exact total rounded HALF_EVEN to the currency's ISO 4217 minor unit (USD 2,
     * JPY 0, BHD 3); 2 where ISO defines none, as the ledger does, so both show the same figure.
     */
    public static BigDecimal amountDue(BigDecimal total, String currencyCode) {
        return total.setScale(minorUnitDigits(currencyCode), RoundingMode.HALF_EVEN);
    }

    /** An amount (e.g. a payment, already at the minor unit by contract) at the currency's minor unit. */
    public static BigDecimal minorUnits(BigDecimal value, String currencyCode) {
        return value.setScale(minorUnitDigits(currencyCode), RoundingMode.HALF_EVEN);
    }

    /**
     * The currency's minor unit by the one ISO 4217 policy of every service ({@link Iso4217}, not the
     * JDK's table, which changes between releases), so the ledger and reporting round an amountDue
     * alike. A code outside the list cannot reach here through an entry ({@link LedgerEntry} refuses
     * it); a stored row of an older reporting that holds one still shows at the default.
     */
    public static int minorUnitDigits(String currencyCode) {
        return Iso4217.isCode(currencyCode) ? Iso4217.minorUnit(currencyCode) : DEFAULT_MINOR_UNIT_DIGITS;
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
