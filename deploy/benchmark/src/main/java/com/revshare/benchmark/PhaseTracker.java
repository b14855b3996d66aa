package com.revshare.benchmark;

/**
 * What one phase sent and when each event became visible in reporting. The k-th unique event
 * sent for a partner is taken as visible when the partner's freshness sequence reaches its
 * base + k: per partner, Kafka keeps the order of the raw topic's partition and every unique
 * event makes exactly one ledger entry, so "k entries visible" and "the first k events visible"
 * agree as long as the pipeline keeps a partner's order (it must, for gapless sequences). The
 * latency of an event is then (poll answer time - send time), an upper bound with the polling
 * interval as resolution.
 */
final class PhaseTracker {
    final String name;
    private final long[] baseSequence;
    private final Percentiles.Samples[] sentNanos;
    private final int[] credited;
    private final Percentiles.Samples latencyMicros = new Percentiles.Samples();
    private final Percentiles.Samples progressNanos = new Percentiles.Samples();
    private final Percentiles.Samples progressCount = new Percentiles.Samples();
    private long firstSendNanos = -1;
    private long lastSendNanos = -1;
    private long lastVisibleNanos = -1;
    private long recordsSent;
    private long uniqueSent;
    private long creditedTotal;
    private boolean producing = true;

    PhaseTracker(String name, long[] baseSequence) {
        this.name = name;
        this.baseSequence = baseSequence.clone();
        this.sentNanos = new Percentiles.Samples[baseSequence.length];
        for (int i = 0; i < sentNanos.length; i++) {
            sentNanos[i] = new Percentiles.Samples();
        }
        this.credited = new int[baseSequence.length];
    }

    /** Called by the producer for every record, with the time it counts from (scheduled time when paced). */
    synchronized void sent(int partner, long nanos, boolean duplicate) {
        if (firstSendNanos < 0) {
            firstSendNanos = nanos;
        }
        lastSendNanos = nanos;
        recordsSent++;
        if (!duplicate) {
            uniqueSent++;
            sentNanos[partner].add(nanos);
        }
    }

    synchronized void doneProducing() {
        producing = false;
    }

    /** A freshness answer received at {@code nanos}: credits every newly visible event with its latency. */
    synchronized void onVisible(long nanos, long[] sequence) {
        long before = creditedTotal;
        for (int p = 0; p < sequence.length; p++) {
            long visible = Math.min(sequence[p] - baseSequence[p], sentNanos[p].size());
            while (credited[p] < visible) {
                latencyMicros.add((nanos - sentNanos[p].get(credited[p])) / 1_000);
                credited[p]++;
                creditedTotal++;
            }
        }
        if (creditedTotal > before) {
            lastVisibleNanos = nanos;
            progressNanos.add(nanos);
            progressCount.add(creditedTotal);
        }
    }

    synchronized boolean complete() {
        return !producing && creditedTotal == uniqueSent;
    }

    synchronized long creditedTotal() {
        return creditedTotal;
    }

    synchronized long uniqueSent() {
        return uniqueSent;
    }

    synchronized long recordsSent() {
        return recordsSent;
    }

    synchronized long uniqueSent(int partner) {
        return sentNanos[partner].size();
    }

    synchronized long firstSendNanos() {
        return firstSendNanos;
    }

    synchronized long lastSendNanos() {
        return lastSendNanos;
    }

    /** When the first event of the phase became visible (-1 before). */
    synchronized long firstVisibleNanos() {
        return progressNanos.size() == 0 ? -1 : progressNanos.get(0);
    }

    synchronized long lastVisibleNanos() {
        return lastVisibleNanos;
    }

    synchronized Percentiles latencies() {
        return latencyMicros.percentiles();
    }

    /** Events/s from the first send to the last event visible. */
    synchronized double endToEndRate() {
        return lastVisibleNanos <= firstSendNanos ? 0 : uniqueSent / ((lastVisibleNanos - firstSendNanos) / 1e9);
    }

    /** Events/s while the visible count went from 10% to 90% of the phase (steady state, no ramp or tail). */
    synchronized double steadyRate() {
        long low = (long) (uniqueSent * 0.1);
        long high = (long) (uniqueSent * 0.9);
        long tLow = -1;
        long cLow = 0;
        for (int i = 0; i < progressCount.size(); i++) {
            long c = progressCount.get(i);
            if (tLow < 0 && c >= low) {
                tLow = progressNanos.get(i);
                cLow = c;
            }
            if (c >= high && tLow >= 0 && progressNanos.get(i) > tLow) {
                return (c - cLow) / ((progressNanos.get(i) - tLow) / 1e9);
            }
        }
        return endToEndRate();
    }

    /** Records/s the producer offered. */
    synchronized double offeredRate() {
        return lastSendNanos <= firstSendNanos ? 0 : recordsSent / ((lastSendNanos - firstSendNanos) / 1e9);
    }
}
