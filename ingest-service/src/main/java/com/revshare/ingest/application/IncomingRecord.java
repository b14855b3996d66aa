package com.revshare.ingest.application;

import java.time.Instant;

import com.revshare.ingest.domain.PartnerClaim;

/**
 * One record as a transport hands it over, before validation.
 *
 * @param raw the original bytes (null for a Kafka tombstone); an HTTP batch element's exact span of the body
 * @param claim who the transport says sent it (Kafka key, HTTP caller), or null
 * @param submittedAt the Kafka record timestamp or the HTTP receipt time
 * @param position where the record was read on Kafka, or null for HTTP
 */
public record IncomingRecord(byte[] raw, PartnerClaim claim, Instant submittedAt, Channel channel,
        SourcePosition position) {

    public IncomingRecord(byte[] raw, PartnerClaim claim, Instant submittedAt, Channel channel) {
        this(raw, claim, submittedAt, channel, null);
    }

    public int size() {
        return raw == null ? 0 : raw.length;
    }

    /** A Kafka record's topic, partition and offset. */
    public record SourcePosition(String topic, int partition, long offset) {
        public SourcePartition sourcePartition() {
            return new SourcePartition(topic, partition);
        }
    }

    /** A Kafka topic partition, ordered by topic then partition (the order their offset rows are locked in). */
    public record SourcePartition(String topic, int partition) implements Comparable<SourcePartition> {
        @Override
        public int compareTo(SourcePartition o) {
            int byTopic = topic.compareTo(o.topic);
            return byTopic != 0 ? byTopic : Integer.compare(partition, o.partition);
        }
    }
}
