package com.revshare.ledger.application;

/**
 * The port that reads an accepted-usage record (the value ingest published on revshare.usage.accepted)
 * as the ledger classifies it: usable, unprocessable under its ids, or unreadable. Implemented by the
 * messaging adapter that owns the message format ({@code AcceptedUsageJson}); used to retry a parked
 * record from its raw text.
 */
public interface AcceptedRecordReader {
    AcceptedRecord read(String raw);
}
