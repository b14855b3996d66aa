package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;


import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What ingest tells about a partner's intake (SPEC §2.7): its counts, its stored rejections, and the
 * re-publication of its accepted events from a given ingest sequence (healing a gap downstream).
 */
@ApplicationScoped
public class PartnerIntake {
    private final IntakeStorage intakeStore;
    private final UsageEventStorage eventStore;
    private final PartnerRegistry registry;
    private final OutboxSignal outbox;

    public PartnerIntake(IntakeStorage intakeStore, UsageEventStorage eventStore, PartnerRegistry registry,
            OutboxSignal outbox) {
        this.intakeStore = intakeStore;
        this.eventStore = eventStore;
        this.registry = registry;
        this.outbox = outbox;
    }

    /** The partner's counts; all zero for a registered partner that sent nothing; empty for an unknown one. */
    public Optional<PartnerCounts> counts(String partnerId) throws SQLException {
        Optional<PartnerCounts> stored = intakeStore.counts(partnerId);
        if (stored.isPresent() || !registry.isKnown(partnerId)) {
            return stored;
        }
        return Optional.of(new PartnerCounts(partnerId, 0, 0, 0, 0));
    }

    /** Whether ingest knows the partner (registered now, or records of it were processed). */
    public boolean isKnown(String partnerId) throws SQLException {
        return registry.isKnown(partnerId) || intakeStore.counts(partnerId).isPresent();
    }

    public List<StoredRejection> rejections(String partnerId, long afterSequence, Instant from, Instant to,
            String reason, int limit) throws SQLException {
        return intakeStore.rejections(partnerId, afterSequence, from, to, reason, limit);
    }

    /** What a republish will do: the partner's events {@code fromSequence} … {@code toSequence} go out again. */
    public record Republication(String partnerId, long fromSequence, long toSequence, long events,
            long publishedSequenceBefore) {
    }

    /**
     * Sets the partner's relay watermark back so its stored accepted events from {@code fromSequence} are
     * published again with their original ingest sequences; empty for a partner ingest has no row of.
     */
    public Optional<Republication> republish(String partnerId, long fromSequence) {
        long[] lastAndBefore = QuarkusTransaction.requiringNew()
                .call(() -> eventStore.rewindWatermark(partnerId, fromSequence));
        if (lastAndBefore == null) {
            return Optional.empty();
        }
        outbox.committed(List.of()); // nothing handed over: the relay reads the rewound range from the table
        long last = lastAndBefore[0];
        long events = Math.max(0, last - fromSequence + 1);
        return Optional.of(new Republication(partnerId, fromSequence, last, events, lastAndBefore[1]));
    }
}
