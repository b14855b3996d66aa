package com.revshare.reporting.archfixture.applicationmessagingcycle.application;

import com.revshare.reporting.archfixture.applicationmessagingcycle.messaging.KafkaEntryReplay;

/** Violation fixture: ... but the use case reaches past it to the Kafka adapter: application ↔ messaging. */
public class RebuildService {
    public long target() {
        EntryReplaySource source = new KafkaEntryReplay();
        return source.endOffset();
    }
}
