package com.revshare.ingest.application;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.domain.UsageEventValidator;
import com.revshare.ingest.domain.Validation;
import com.revshare.ingest.persistence.UsageEventStore;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one pipeline both ways in go through: validate every record, store the valid ones in one
 * transaction (dedupe and outbox), publish the rejections and wait for the broker, count, and wake the
 * relay. Returns one outcome per record, in order. Throws when the store or the rejected topic
 * fails; the caller then retries the whole batch, which is safe because the store is idempotent.
 */
@ApplicationScoped
public class UsageIntake {
    private final UsageEventValidator validator;
    private final PartnerRegistry partners;
    private final UsageEventStore store;
    private final RejectionSink rejections;
    private final OutboxSignal outbox;
    private final IngestMetrics metrics;
    private final Clock clock;

    public UsageIntake(IngestConfig config, PartnerRegistry partners, UsageEventStore store, RejectionSink rejections,
            OutboxSignal outbox, IngestMetrics metrics, Clock clock) {
        this.validator = new UsageEventValidator(config.recordSizeLimitBytes(),
                config.futureTolerance());
        this.partners = partners;
        this.store = store;
        this.rejections = rejections;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    public List<Outcome> process(List<IncomingRecord> records) {
        Instant now = clock.instant();
        List<Validation> validations = new ArrayList<>(records.size());
        List<IntakeItem> items = new ArrayList<>();
        for (IncomingRecord r : records) {
            Validation v = validator.validate(r.raw(), r.claim(), partners, now);
            validations.add(v);
            if (v instanceof Validation.Valid valid) {
                items.add(new IntakeItem(valid.event(), r.raw(), r.submittedAt(), r.channel()));
            }
        }
        List<StoreOutcome> stored = items.isEmpty() ? List.of()
                : QuarkusTransaction.requiringNew().call(() -> store.store(items, now));

        List<Outcome> outcomes = new ArrayList<>(records.size());
        List<RejectionSink.RejectedRecord> rejected = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            Outcome outcome;
            if (validations.get(i) instanceof Validation.Valid valid) {
                UsageEvent e = valid.event();
                StoreOutcome so = stored.get(next++);
                if (so instanceof StoreOutcome.Claimed c) {
                    outcome = new Outcome.Accepted(e.partnerId(), e.eventId(), c.ingestSequence());
                } else if (so instanceof StoreOutcome.Duplicate) {
                    outcome = new Outcome.Duplicate(e.partnerId(), e.eventId());
                } else {
                    outcome = new Outcome.Rejected(RejectionReason.DUPLICATE_CONFLICT,
                            "id \"" + e.eventId() + "\" was already accepted with different content", e.partnerId(),
                            e.eventId());
                }
            } else {
                Validation.Invalid invalid = (Validation.Invalid) validations.get(i);
                outcome = new Outcome.Rejected(invalid.reason(), invalid.detail(), invalid.partnerId(),
                        invalid.eventId());
            }
            if (outcome instanceof Outcome.Rejected r) {
                rejected.add(new RejectionSink.RejectedRecord(r, records.get(i).raw(), now));
            }
            outcomes.add(outcome);
        }
        if (!rejected.isEmpty()) {
            rejections.publish(rejected);
        }
        if (!items.isEmpty()) {
            outbox.committed();
        }
        count(records, outcomes);
        return outcomes;
    }

    private void count(List<IncomingRecord> records, List<Outcome> outcomes) {
        if (records.isEmpty()) {
            return;
        }
        Channel channel = records.get(0).channel();
        metrics.recordsRead(channel, records.size());
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Accepted a) {
                metrics.accepted(channel, a.partnerId());
            } else if (o instanceof Outcome.Duplicate d) {
                metrics.duplicate(channel, d.partnerId());
            } else if (o instanceof Outcome.Rejected r) {
                metrics.rejected(channel, r.partnerId(), r.reason());
            }
        }
    }
}
