package com.revshare.ingest.application;

/** Tells the outbox relay that new rows were committed, so it need not wait for its next idle tick. */
public interface OutboxSignal {
    void committed();
}
