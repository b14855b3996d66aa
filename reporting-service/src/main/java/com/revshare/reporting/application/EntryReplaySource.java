package com.revshare.reporting.application;

import java.time.Duration;
import java.util.List;

/**
 * Port: the ledger entries topic read from its beginning, without a consumer group, for a rebuild;
 * implemented by the messaging adapter.
 */
public interface EntryReplaySource {

    /** Opens a reader positioned at the beginning of every partition, with the end offsets read. */
    Replay open(int maxPollRecords);

    /** One pass over the topic, used by one thread. */
    interface Replay extends AutoCloseable {
        /** Records between the reader's position and the end offsets last read. */
        long lag();

        /** Reads the end offsets again (entries published since). */
        void refreshEnd();

        /** The next records, possibly none. */
        List<DeliveredRecord> poll(Duration timeout);

        @Override
        void close();
    }
}
