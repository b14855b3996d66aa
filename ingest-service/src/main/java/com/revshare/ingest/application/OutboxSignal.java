package com.revshare.ingest.application;

import java.util.List;

/**
 * Tells the outbox relay what a transaction stored, right after its commit: the relay publishes these rows as
 * they are (no read back, no second serialisation from the table) when they continue a partner's published
 * sequence, and reads the table only for what it was not handed (another instance's rows, a restart, a
 * republish).
 */
public interface OutboxSignal {
    /**
     * {@code rows} were committed (each partner's in sequence order; empty when only the watermarks changed, e.g.
     * a republish); may be called from any thread.
     */
    void committed(List<OutboxRow> rows);
}
