package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import static com.revshare.ingest.application.BatchFailures.abbreviate;
import static com.revshare.ingest.application.BatchFailures.describe;
import static com.revshare.ingest.application.BatchFailures.recordCaused;
import static com.revshare.ingest.application.BatchFailures.rethrow;
import static com.revshare.ingest.application.BatchFailures.transientFailure;

import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.UsageEventValidator;
import com.revshare.ingest.domain.Validation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one pipeline both ways in go through. Every record is validated; then, in <b>one</b> database
 * transaction per batch ({@link IntakeBatch}): the Kafka offsets of its partitions are locked and records already processed are
 * left out, the valid events are stored (dedupe and outbox), every rejection is stored for its partner's
 * list, the partners' intake counts are advanced, the offsets are advanced, and the rejections are published
 * and acknowledged by the broker <i>before</i> the commit (a failed publish rolls everything back; a failed
 * commit after a publish repeats only the rejection records on the topic). Then the relay is woken.
 * <p>
 * A record that makes its batch's transaction fail (a data or constraint error of the database) is isolated
 * by bisection — log2(n) smaller transactions, the rest of the batch is not degraded to one-record
 * transactions — and rejected with {@code INVALID_FIELD} and a detail saying it could not be stored. Any
 * other failure (database or broker down) is thrown: the caller retries the batch, which is safe.
 */
@ApplicationScoped
public class UsageIntake {
    private static final Logger LOG = Logger.getLogger(UsageIntake.class);
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private final UsageEventValidator validator;
    private final PartnerRegistry partners;
    private final IntakeBatch batch;
    private final ControlMonitor controlMonitor;
    private final OutboxSignal outbox;
    private final IngestMetrics metrics;
    private final Clock clock;

    public UsageIntake(IngestConfig config, UsageEventValidator validator, PartnerRegistry partners,
            UsageEventStorage store, ControlStorage controlStore, ControlMonitor controlMonitor, IntakeStorage intakeStore,
            RejectionSink rejections, OutboxSignal outbox, IngestMetrics metrics, Clock clock) {
        this.validator = validator;
        this.partners = partners;
        this.batch = new IntakeBatch(partners, store, controlStore, intakeStore, rejections, config.groupId());
        this.controlMonitor = controlMonitor;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Processes a batch and returns one outcome per record, in order ({@link Outcome.AlreadyProcessed} for a
     * Kafka record whose offset this consumer group stored as processed before). Throws when the database or
     * the broker failed; nothing of the batch is then committed and retrying it is safe.
     */
    public List<Outcome> process(List<IncomingRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Validation> validations = new ArrayList<>(records.size());
        for (IncomingRecord r : records) {
            validations.add(validate(r, now));
        }
        return isolate(records, validations, now);
    }

    /**
     * Validates one record; whatever the validation throws (an Error included) rejects this record alone, with
     * a reason, instead of failing its batch again on every retry (issue 10: no record stalls a partition).
     */
    private Validation validate(IncomingRecord r, Instant now) {
        try {
            return validator.validate(r.raw(), r.claim(), partners, now);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            metrics.unprocessable();
            LOG.warnf("a %s record (%d bytes) made validation throw %s: rejecting it", r.channel().tag(), r.size(),
                    e.toString());
            return new Validation.Invalid(RejectionReason.INVALID_FIELD,
                    "(record) could not be validated (" + e.getClass().getSimpleName() + ")", claimedPartner(r), null);
        }
    }

    /** The well-formed partner id the transport claims for a record, or null. */
    private static String claimedPartner(IncomingRecord r) {
        PartnerClaim claim = r.claim();
        return claim != null && PARTNER_ID.matcher(claim.partnerId()).matches() ? claim.partnerId() : null;
    }

    /**
     * Runs the batch. A failure that is not plainly transient (database or broker unreachable) splits the
     * batch in halves until the failing record stands alone; that record is tried once more alone and then
     * rejected with a reason, whatever it threw (an Error included). A transient failure is thrown: the
     * caller retries the batch, which is safe.
     */
    private List<Outcome> isolate(List<IncomingRecord> records, List<Validation> validations, Instant now) {
        try {
            return runBatch(records, validations, now);
        } catch (Throwable e) {
            if (transientFailure(e)) {
                throw rethrow(e);
            }
            if (records.size() == 1) {
                return rejectAlone(records, validations, now, e);
            }
            int half = records.size() / 2;
            LOG.infof("batch of %d records failed (%s), bisecting", records.size(), describe(e));
            List<Outcome> outcomes = new ArrayList<>(isolate(records.subList(0, half), validations.subList(0, half), now));
            outcomes.addAll(isolate(records.subList(half, records.size()), validations.subList(half, records.size()), now));
            return outcomes;
        }
    }

    /** One record whose batch failed: tried once more alone, then rejected with what it threw. */
    private List<Outcome> rejectAlone(List<IncomingRecord> records, List<Validation> validations, Instant now,
            Throwable first) {
        Throwable failure = first;
        try {
            return runBatch(records, validations, now);
        } catch (Throwable again) {
            if (transientFailure(again)) {
                throw rethrow(again);
            }
            failure = again;
        }
        Validation only = validations.get(0);
        IncomingRecord record = records.get(0);
        String partnerId = only.partnerId();
        String eventId = only.eventId();
        SQLException sql = recordCaused(failure);
        String detail = sql != null
                ? "(record) passed validation but could not be stored (SQLState " + sql.getSQLState() + "): "
                        + abbreviate(sql.getMessage())
                : "(record) could not be processed (" + describe(failure) + ")";
        if (only instanceof Validation.Invalid) {
            detail = "(record) its rejection could not be processed (" + describe(failure) + ")";
        }
        metrics.unstorable();
        LOG.warnf(failure, "%s record %s/%s failed alone twice: rejecting it", record.channel().tag(), partnerId,
                eventId);
        try {
            return runBatch(records, List.of(new Validation.Invalid(RejectionReason.INVALID_FIELD, detail,
                    partnerId, eventId)), now);
        } catch (Throwable e) {
            if (transientFailure(e)) {
                throw rethrow(e);
            }
            // last resort: a rejection that names nothing the record said
            return runBatch(records, List.of(new Validation.Invalid(RejectionReason.INVALID_FIELD,
                    "(record) could not be processed", claimedPartner(record), null)), now);
        }
    }

    /** One transaction for the batch; after the commit, the relay and the controls' gauge are told. */
    private List<Outcome> runBatch(List<IncomingRecord> records, List<Validation> validations, Instant now) {
        IntakeBatch.Result result = QuarkusTransaction.requiringNew().call(() -> batch.run(records, validations, now));
        if (!result.outboxRows().isEmpty()) {
            outbox.committed(result.outboxRows());
        }
        if (!result.reconciled().isEmpty()) {
            controlMonitor.changed(result.reconciled());
        }
        count(records, result.outcomes());
        return result.outcomes();
    }

    private void count(List<IncomingRecord> records, List<Outcome> outcomes) {
        Channel channel = records.get(0).channel();
        int read = 0;
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Accepted a) {
                metrics.accepted(channel, a.partnerId());
            } else if (o instanceof Outcome.AcceptedControl a) {
                metrics.controlAccepted(channel, a.partnerId());
            } else if (o instanceof Outcome.Duplicate d) {
                metrics.duplicate(channel, d.partnerId());
            } else if (o instanceof Outcome.Rejected r) {
                metrics.rejected(channel, r.partnerId(), r.reason());
            }
            if (!(o instanceof Outcome.AlreadyProcessed)) {
                read++;
            }
        }
        metrics.recordsRead(channel, read);
    }
}
