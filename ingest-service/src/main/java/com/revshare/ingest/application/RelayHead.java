package com.revshare.ingest.application;

/** A partner's last ingest sequence (committed) and how far the relay has published it. */
public record RelayHead(String partnerId, long lastSequence, long publishedSequence) {
}
