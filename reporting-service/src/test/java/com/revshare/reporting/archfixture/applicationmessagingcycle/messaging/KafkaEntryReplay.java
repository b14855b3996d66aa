package com.revshare.reporting.archfixture.applicationmessagingcycle.messaging;

import com.revshare.reporting.archfixture.applicationmessagingcycle.application.EntryReplaySource;

/** Violation fixture: the adapter implementing the port (messaging → application). */
public class KafkaEntryReplay implements EntryReplaySource {
    @Override
    public long endOffset() {
        return 0;
    }
}
