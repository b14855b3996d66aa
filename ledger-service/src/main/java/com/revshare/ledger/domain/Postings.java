package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Double entry (SPEC §4): a charge debits {@code partners/{id}/receivable} and credits
 * {@code revenue/{id}/share} by its amount, a PAYMENT debits {@code cash/{currency}} and credits the
 * receivable. {@link #assertBalanced} is the pair assertion a store runs on each partner's change
 * before it writes it: the postings, summed per account and currency, must agree with the balance
 * figures the same change writes.
 */
public final class Postings {
    private Postings() {
    }

    /** One side of an entry. */
    public record Posting(String account, String currency, BigDecimal debit, BigDecimal credit) {
    }

    /** The two postings of an entry (none for PERIOD_CLOSED, which names no account). */
    public static List<Posting> of(LedgerEntry e) {
        if (e.debitAccount() == null) {
            return List.of();
        }
        return List.of(new Posting(e.debitAccount(), e.currency(), e.amount(), BigDecimal.ZERO),
                new Posting(e.creditAccount(), e.currency(), BigDecimal.ZERO, e.amount()));
    }

    public static List<Posting> of(List<LedgerEntry> entries) {
        List<Posting> postings = new ArrayList<>(entries.size() * 2);
        entries.forEach(e -> postings.addAll(of(e)));
        return postings;
    }

    /** Per (account, currency): debits − credits of the postings. */
    public static Map<String, BigDecimal> netByAccount(List<LedgerEntry> entries) {
        Map<String, BigDecimal> net = new TreeMap<>();
        for (Posting p : of(entries)) {
            net.merge(p.account() + " " + p.currency(), p.debit().subtract(p.credit()), BigDecimal::add);
        }
        return net;
    }

    /**
     * Throws when one partner's change does not hold together:
     * <ul>
     * <li>an entry belongs to another partner, is not in the partner's settlement currency, is not at
     * entry scale, PERIOD_CLOSED carries money, or a PAYMENT is not &gt; 0;</li>
     * <li>per currency, the debits and credits of all postings differ;</li>
     * <li>the receivable's net charge (its debits from charges) differs from the change of the period
     * figures written with it (Σ period total deltas), or the vendor share's net credit differs from it,
     * or the cash account's net debit differs from the receivable's payment credits.</li>
     * </ul>
     * A bug in the fold, in a store's mapping or in the decider that posts to the wrong partner or
     * currency breaks one of these.
     */
    public static void assertBalanced(LedgerChanges change) {
        String partner = change.partnerId();
        String currency = change.currency();
        Map<String, BigDecimal> perCurrency = new TreeMap<>();
        BigDecimal charged = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        for (LedgerEntry e : change.entries()) {
            checkEntry(e);
            if (!partner.equals(e.partnerId())) {
                throw new IllegalStateException("entry " + e.sequence() + " of " + e.partnerId()
                        + " in the change of " + partner);
            }
            if (e.kind().isMoney() && currency != null && !currency.equals(e.currency())) {
                throw new IllegalStateException("entry " + e.sequence() + " in " + e.currency() + ", partner "
                        + partner + " settles in " + currency);
            }
            for (Posting p : of(e)) {
                perCurrency.merge(p.currency(), p.debit().subtract(p.credit()), BigDecimal::add);
            }
            if (e.kind() == EntryKind.PAYMENT) {
                paid = paid.add(e.amount());
            } else {
                charged = charged.add(e.amount());
            }
        }
        perCurrency.forEach((c, net) -> {
            if (net.signum() != 0) {
                throw new IllegalStateException("postings in " + c + " do not balance: debits − credits = " + net);
            }
        });
        Map<String, BigDecimal> net = netByAccount(change.entries());
        BigDecimal periodDelta = change.periods().values().stream().map(LedgerChanges.PeriodChange::total)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        String receivable = "partners/" + partner + "/receivable " + currency;
        String share = "revenue/" + partner + "/share " + currency;
        String cash = "cash/" + currency + " " + currency;
        BigDecimal receivableNet = net.getOrDefault(receivable, BigDecimal.ZERO);
        if (charged.compareTo(periodDelta) != 0 || receivableNet.compareTo(periodDelta.subtract(paid)) != 0) {
            throw new IllegalStateException("receivable of " + partner + " moves by " + receivableNet
                    + " but the period figures by " + periodDelta + " less payments " + paid);
        }
        if (net.getOrDefault(share, BigDecimal.ZERO).negate().compareTo(periodDelta) != 0) {
            throw new IllegalStateException("vendor share of " + partner + " moves by "
                    + net.getOrDefault(share, BigDecimal.ZERO).negate() + " but the period figures by " + periodDelta);
        }
        if (net.getOrDefault(cash, BigDecimal.ZERO).compareTo(paid) != 0) {
            throw new IllegalStateException("cash in " + currency + " moves by " + net.getOrDefault(cash,
                    BigDecimal.ZERO) + " but " + partner + "'s payments total " + paid);
        }
    }

    /**
     * The entry-level part of {@link #assertBalanced(LedgerChanges)}, for a list of entries without
     * their balance figures (a replay's, a test's): scale, PERIOD_CLOSED without money, PAYMENT &gt; 0.
     */
    public static void checkEntries(List<LedgerEntry> entries) {
        entries.forEach(Postings::checkEntry);
    }

    private static void checkEntry(LedgerEntry e) {
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
