package com.revshare.reporting.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The proof of a partner's period (SPEC §4.1): the lowercase hex SHA-256 of one line per entry of
 * the period (every kind), in sequence order, each ended by {@code \n}:
 * {@code sequence|entryId|kind|amount|currency|usageEventId|model|metric|quantity|settlementRevenue|agreementVersion|ruleId|reversesEntryId|originalPeriod},
 * each field as in the entry's JSON, empty for null. Fed one line at a time, so a period of any
 * size is hashed while its entries stream by.
 */
public final class PeriodProof {
    /** The result: a period without entries has count 0, null sequences and the hash of the empty text. */
    public record Proof(long entryCount, Long firstSequence, Long lastSequence, String sha256) {
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
        return new Proof(count, first, last, HexFormat.of().formatHex(digest.digest()));
    }
}
