package com.revshare.ledger.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The proof of a partner's period (SPEC §4.1): the lowercase hex SHA-256 of one line per entry of the
 * period (every kind, PERIOD_CLOSED and PAYMENT included), in sequence order, each ended by {@code \n}:
 * {@code sequence|entryId|kind|amount|currency|usageEventId|model|metric|quantity|settlementRevenue|agreementVersion|ruleId|reversesEntryId|originalPeriod},
 * each field as in the entry's JSON (amounts at their exact scale), empty for null. Fed one entry at a
 * time, so a period of any size is hashed while its entries stream by.
 */
public final class PeriodProof {
    /** The result: a period without entries has count 0, null sequences and the hash of the empty text. */
    public record Result(long entryCount, Long firstSequence, Long lastSequence, String sha256) {
    }

    private final MessageDigest digest;
    private long count;
    private Long first;
    private Long last;

    public PeriodProof() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The proof line of an entry (without its {@code \n}), with {@code entryId} and {@code reversesEntryId} as given. */
    public static String line(LedgerEntry e, String entryId, String reversesEntryId) {
        StringBuilder b = new StringBuilder(256).append(e.sequence());
        field(b, entryId);
        field(b, e.kind().name());
        field(b, e.amount().toPlainString());
        field(b, e.currency());
        field(b, e.usageEventId());
        field(b, e.model());
        field(b, e.metric());
        field(b, e.quantity() == null ? null : e.quantity().toString());
        field(b, e.settlementRevenue() == null ? null : e.settlementRevenue().toPlainString());
        field(b, e.agreementVersion() == null ? null : e.agreementVersion().toString());
        field(b, e.ruleId());
        field(b, reversesEntryId);
        field(b, e.originalPeriod() == null ? null : e.originalPeriod().toString());
        return b.toString();
    }

    /** The line as SPEC §4.1 writes it: the entry's own ids. */
    public static String line(LedgerEntry e) {
        return line(e, e.entryId().toString(), e.reversesEntryId() == null ? null : e.reversesEntryId().toString());
    }

    private static void field(StringBuilder b, String value) {
        b.append('|');
        if (value != null) {
            b.append(value);
        }
    }

    /** Adds the next entry of the period; sequences must increase. */
    public void add(LedgerEntry e) {
        if (last != null && e.sequence() <= last) {
            throw new IllegalArgumentException("entries out of sequence order: " + e.sequence() + " after " + last);
        }
        digest.update((line(e) + "\n").getBytes(StandardCharsets.UTF_8));
        count++;
        if (first == null) {
            first = e.sequence();
        }
        last = e.sequence();
    }

    public Result result() {
        return new Result(count, first, last, HexFormat.of().formatHex(digest.digest()));
    }
}
