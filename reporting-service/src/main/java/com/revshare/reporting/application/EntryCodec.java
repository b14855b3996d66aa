package com.revshare.reporting.application;

import com.revshare.reporting.domain.LedgerEntry;

/**
 * Port: reading a ledger entry from its wire form (docs/events/ledger-entry.v1.schema.json) and
 * writing the canonical JSON that drill-down returns and proofs hash; implemented by the
 * messaging adapter, which owns the wire format.
 */
public interface EntryCodec {
    /** The entry in {@code value}; an IllegalArgumentException says why it is not one. */
    LedgerEntry parse(byte[] value);

    /** Who an unreadable record seems to be about: each field null when it cannot be read. */
    record Identity(String partnerId, Long sequence) {
    }

    /** Best effort for a record {@link #parse} rejected: the partner and sequence it names, where readable. */
    Identity identify(String key, byte[] value);

    /** The canonical JSON of an entry; depends only on the entry, so a rebuild writes identical bytes. */
    String canonicalJson(LedgerEntry entry);
}
