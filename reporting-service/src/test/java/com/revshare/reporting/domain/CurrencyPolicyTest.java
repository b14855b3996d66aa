package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.platform.Iso4217;

/**
 * Reporting applies the one ISO 4217 policy of every service (issue 11.3): an entry's currency is
 * accepted exactly when {@link Iso4217} lists it, and an amountDue is rounded to {@link Iso4217}'s
 * minor unit — so the ledger and reporting can never disagree on a code or on a figure's scale.
 */
class CurrencyPolicyTest {

    private static LedgerEntry usageIn(String currency) {
        return new LedgerEntry("e1", "p1", 1, "2026-11", EntryKind.USAGE, new BigDecimal("1.5"), currency, "ev1",
                "m", "requests", 1L, null, null, null, null, 1, "r", null, null, null, null, null, null,
                Instant.EPOCH, null, null, null, null, null);
    }

    @Test
    void givenEveryListedCode_whenAnEntryCarriesIt_thenItIsAcceptedAndDueIsRoundedToItsMinorUnit() {
        for (String code : Iso4217.codes()) {
            assertEquals(code, usageIn(code).currency());
            assertTrue(LedgerEntry.isCurrencyCode(code), code);
            assertEquals(Iso4217.minorUnit(code), Money.minorUnitDigits(code), code);
            assertEquals(Iso4217.minorUnit(code), Money.amountDue(new BigDecimal("1.23456789"), code).scale(), code);
        }
    }

    @Test
    void givenCodesOfTheRightShapeThatIsoDoesNotList_whenAnEntryCarriesOne_thenItIsRefused() {
        // upper-case three-letter codes that the old shape check let through: withdrawn long ago or never assigned
        for (String code : List.of("ABC", "XYZ", "DEM", "FRF", "ZWD", "VEF", "QQQ")) {
            assertFalse(LedgerEntry.isCurrencyCode(code), code);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> usageIn(code));
            assertTrue(refused.getMessage().contains("currency"), refused.getMessage());
        }
        for (String notACode : java.util.Arrays.asList(null, "", "usd", "US", "USDX", " USD")) {
            assertFalse(LedgerEntry.isCurrencyCode(notACode), String.valueOf(notACode));
        }
    }

    @Test
    void givenMinorUnitsOtherThanTwo_whenDueIsComputed_thenTheListDecidesAndTiesGoToEven() {
        assertEquals(new BigDecimal("1234"), Money.amountDue(new BigDecimal("1234.50000000"), "JPY"));
        assertEquals(new BigDecimal("1.234"), Money.amountDue(new BigDecimal("1.23450000"), "BHD"));
        assertEquals(new BigDecimal("1.2346"), Money.amountDue(new BigDecimal("1.23455000"), "CLF"));
        assertEquals(new BigDecimal("1.24"), Money.amountDue(new BigDecimal("1.23500000"), "XAU"));
    }
}
