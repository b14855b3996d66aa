package com.revshare.ingest.application;

/** Sequences {@code first} … {@code last} (inclusive) of one partner's accepted events. */
public record SequenceRange(String partnerId, long first, long last) {
}
