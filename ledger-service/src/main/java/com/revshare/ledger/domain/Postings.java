package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Double entry (SPEC §4): a charge debits {@code partners/{id}/receivable} and credits
 * {@code revenue/{id}/share} by its amount, a PAYMENT debits {@code cash/{currency}} and credits the
 * receivable. {@link #assertBalanced} is the pair assertion a store
 * runs on each batch before commit.
 */
public final class Postings {
    private Postings() {
    }

    /** One side of an entry. */
    public record Posting(String account, BigDecimal debit, BigDecimal credit) {
    }

    /** The two postings of an entry (none for PERIOD_CLOSED, which names no account). */
    public static List<Posting> of(LedgerEntry e) {
        if (e.debitAccount() == null) {
            return List.of();
        }
        return List.of(new Posting(e.debitAccount(), e.amount(), BigDecimal.ZERO),
                new Posting(e.creditAccount(), BigDecimal.ZERO, e.amount()));
    }

    public static List<Posting> of(List<LedgerEntry> entries) {
        List<Posting> postings = new ArrayList<>(entries.size() * 2);
        entries.forEach(e -> postings.addAll(of(e)));
        return postings;
    }

    /** Throws when debits and credits differ or an amount is not at entry scale (or PERIOD_CLOSED carries money). */
    public static void assertBalanced(List<LedgerEntry> entries) {
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (Posting p : of(entries)) {
            debits = debits.add(p.debit());
            credits = credits.add(p.credit());
        }
        if (debits.compareTo(credits) != 0) {
            throw new IllegalStateException("postings do not balance: debits " + debits + " credits " + credits);
        }
        for (LedgerEntry e : entries) {
            if (e.amount().scale() != Money.ENTRY_SCALE) {
                throw new IllegalStateException("entry " + e.sequence() + " amount not at scale 8: " + e.amount());
            }
            if (!e.kind().isMoney() && e.amount().signum() != 0) {
                throw new IllegalStateException("PERIOD_CLOSED carries money: " + e.amount());
            }
            if (e.kind() == EntryKind.PAYMENT && e.amount().signum() <= 0) {
                throw new IllegalStateException("PAYMENT " + e.sequence() + " is not > 0: " + e.amount());
            }
        }
    }
}
