package com.revshare.platform;

import java.util.Map;
import java.util.Set;

/**
 * The one ISO 4217 policy of every service: which codes a currency field may carry (partner
 * settlement currencies, agreement currencies, event revenue, FX rates, payments) and each code's
 * minor unit (SPEC §3.4: an amountDue is rounded HALF_EVEN to it).
 *
 * <p>The codes are ISO 4217 list one (current currencies and funds, including those withdrawn only
 * in 2023–2025, so events dated shortly before a withdrawal still validate). A fixed table rather
 * than the JDK's, which also holds long-withdrawn codes, lacks the newest ones (XCG, ZWG on some
 * JDKs) and changes between releases: a partner currency must never exist that no event may carry,
 * nor round differently after a JDK upgrade.
 */
public final class Iso4217 {
    /** Minor-unit digits where ISO 4217 defines none (XAU, XDR, XXX …): what balances use. */
    public static final int DEFAULT_MINOR_UNIT = 2;

    private static final Set<String> CODES = Set.of(
            "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
            "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
            "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF",
            "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD",
            "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
            "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
            "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
            "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
            "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG",
            "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
            "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW",
            "UZS", "VED", "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD",
            "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG",
            "ZWL");

    /** The codes whose minor unit is not {@link #DEFAULT_MINOR_UNIT} (ISO 4217 list one). */
    private static final Map<String, Integer> MINOR_UNIT_EXCEPTIONS = Map.ofEntries(
            Map.entry("BIF", 0), Map.entry("CLP", 0), Map.entry("DJF", 0), Map.entry("GNF", 0),
            Map.entry("ISK", 0), Map.entry("JPY", 0), Map.entry("KMF", 0), Map.entry("KRW", 0),
            Map.entry("PYG", 0), Map.entry("RWF", 0), Map.entry("UGX", 0), Map.entry("UYI", 0),
            Map.entry("VND", 0), Map.entry("VUV", 0), Map.entry("XAF", 0), Map.entry("XOF", 0),
            Map.entry("XPF", 0),
            Map.entry("BHD", 3), Map.entry("IQD", 3), Map.entry("JOD", 3), Map.entry("KWD", 3),
            Map.entry("LYD", 3), Map.entry("OMR", 3), Map.entry("TND", 3),
            Map.entry("CLF", 4), Map.entry("UYW", 4));

    private Iso4217() {
    }

    /** True for an upper-case code of the list (exact match: no trimming, no case folding). */
    public static boolean isCode(String code) {
        return code != null && CODES.contains(code);
    }

    /**
     * The minor-unit digits of a code of the list (USD 2, JPY 0, BHD 3, CLF 4); 2 where ISO defines
     * none. Throws for a code that is not in the list: callers validate first.
     */
    public static int minorUnit(String code) {
        if (!isCode(code)) {
            throw new IllegalArgumentException("not an ISO 4217 code: " + code);
        }
        return MINOR_UNIT_EXCEPTIONS.getOrDefault(code, DEFAULT_MINOR_UNIT);
    }

    /** Every code of the list (for tests and documentation). */
    public static Set<String> codes() {
        return CODES;
    }
}
