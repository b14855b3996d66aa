package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.LocalDate;

/** FX rates by (UTC date, base, quote): 1 base = rate quote (SPEC §3.3). No inverse or cross rates. */
@FunctionalInterface
public interface FxRates {
    FxRates NONE = (date, base, quote) -> null;

    /** The rate set for that date and pair, or null. */
    BigDecimal rate(LocalDate date, String base, String quote);
}
