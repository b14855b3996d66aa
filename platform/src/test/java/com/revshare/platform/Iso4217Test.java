package com.revshare.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Currency;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class Iso4217Test {
    @Test
    void theSpecExamplesHaveTheirMinorUnits() {
        assertEquals(2, Iso4217.minorUnit("USD"));
        assertEquals(0, Iso4217.minorUnit("JPY"));
        assertEquals(3, Iso4217.minorUnit("BHD"));
        assertEquals(4, Iso4217.minorUnit("CLF"));
        assertEquals(Iso4217.DEFAULT_MINOR_UNIT, Iso4217.minorUnit("XAU"), "no ISO minor unit: the default");
    }

    @Test
    void onlyExactUpperCaseListedCodesAreCodes() {
        assertTrue(Iso4217.isCode("EUR"));
        assertFalse(Iso4217.isCode("eur"));
        assertFalse(Iso4217.isCode(" EUR"));
        assertFalse(Iso4217.isCode("ABC"));
        assertFalse(Iso4217.isCode("DEM"), "withdrawn long ago (the JDK still knows it)");
        assertFalse(Iso4217.isCode(null));
        assertThrows(IllegalArgumentException.class, () -> Iso4217.minorUnit("DEM"));
    }

    @Test
    void minorUnitsAgreeWithTheJdkWhereverTheJdkDefinesOne() {
        // the table replaces the JDK's (which some services used before): no listed code may round
        // differently from it, except where the JDK itself is behind ISO (listed here with ISO's value)
        Map<String, String> differences = new TreeMap<>();
        for (String code : Iso4217.codes()) {
            int jdk;
            try {
                jdk = Currency.getInstance(code).getDefaultFractionDigits();
            } catch (IllegalArgumentException unknownToThisJdk) {
                continue;
            }
            int expected = jdk < 0 ? Iso4217.DEFAULT_MINOR_UNIT : jdk;
            if (expected != Iso4217.minorUnit(code)) {
                differences.put(code, "jdk " + jdk + " table " + Iso4217.minorUnit(code));
            }
        }
        assertEquals(Map.of(), differences);
    }
}
