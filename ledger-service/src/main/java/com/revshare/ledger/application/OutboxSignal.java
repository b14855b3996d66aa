package com.revshare.ledger.application;

/**
 * The port through which a use case tells the outbox relay that its transaction committed new entries,
 * so the relay publishes them now instead of at its next periodic scan. Implemented by the messaging
 * adapter ({@code OutboxRelay}); call it only after the commit (the relay reads committed rows).
 */
public interface OutboxSignal {
    void committed();
}
