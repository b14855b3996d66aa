package com.revshare.reporting.domain;

import java.nio.charset.StandardCharsets;

/**
 * The proof of a partner's period (SPEC §4.1): the lowercase hex SHA-256 of one line per entry of
 * the period (every kind), in sequence order, each ended by {@code \n}:
 * {@code sequence|entryId|kind|amount|currency|usageEventId|model|metric|quantity|settlementRevenue|agreementVersion|ruleId|reversesEntryId|originalPeriod},
 * each field as in the entry's JSON, empty for null. Fed one line at a time, so a period of any
 * size is hashed while its entries stream by. Its {@link #saved() running state} can be stored and
 * {@link #resume resumed}, so the projection extends a period's proof batch by batch and a
 * statement reads it instead of hashing every entry of the period again (issue 14).
 */
public final class PeriodProof {
    /** The result: a period without entries has count 0, null sequences and the hash of the empty text. */
    public record Proof(long entryCount, Long firstSequence, Long lastSequence, String sha256) {
    }

    /** A proof in progress as stored: entries so far, their first and last sequence, the hash's running state. */
    public record Saved(long entryCount, Long firstSequence, Long lastSequence, byte[] sha256State) {
    }

    private final ResumableSha256 digest;
    private long count;
    private Long first;
    private Long last;

    public PeriodProof() {
        digest = new ResumableSha256();
    }

    private PeriodProof(Saved saved) {
        digest = ResumableSha256.resume(saved.sha256State());
        count = saved.entryCount();
        first = saved.firstSequence();
        last = saved.lastSequence();
    }

    /** Goes on from a {@link #saved()} proof. */
    public static PeriodProof resume(Saved saved) {
        return new PeriodProof(saved);
    }

    /** What to store to {@link #resume} from. */
    public Saved saved() {
        return new Saved(count, first, last, digest.state());
    }

    /** The last sequence added, or null. */
    public Long lastSequence() {
        return last;
    }

    /**
     * Adds the next entry's line from the entry itself: its fields as its canonical JSON writes
     * them (amounts plain at scale 8, numbers as digits), so the line equals the one
     * {@link #add(long, String...)} makes from that JSON's text.
     */
    public void add(LedgerEntry e) {
        add(e.sequence(), e.entryId(), e.kind().name(), e.amount().toPlainString(), e.currency(), e.usageEventId(),
                e.model(), e.metric(), e.quantity() == null ? null : e.quantity().toString(),
                e.settlementRevenue() == null ? null : e.settlementRevenue().toPlainString(),
                e.agreementVersion() == null ? null : e.agreementVersion().toString(), e.ruleId(),
                e.reversesEntryId(), e.originalPeriod());
    }

    /**
     * Adds the next entry's line; the fields as their JSON text (a string's value, a number's
     * digits), null for JSON null. Sequences must come in increasing order.
     */
    public void add(long sequence, String... fieldsAfterSequence) {
        if (last != null && sequence <= last) {
            throw new IllegalArgumentException("entries out of sequence order: " + sequence + " after " + last);
        }
        StringBuilder line = new StringBuilder(256).append(sequence);
        for (String field : fieldsAfterSequence) {
            line.append('|');
            if (field != null) {
                line.append(field);
            }
        }
        line.append('\n');
        digest.update(line.toString().getBytes(StandardCharsets.UTF_8));
        count++;
        if (first == null) {
            first = sequence;
        }
        last = sequence;
    }

    public Proof result() {
        return new Proof(count, first, last, digest.hex());
    }
}
