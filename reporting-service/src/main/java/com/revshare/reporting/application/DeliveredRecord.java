package com.revshare.reporting.application;

/** A record as read from Kafka, independent of the client library. */
public record DeliveredRecord(String topic, int partition, long offset, String key, byte[] value) {
}
