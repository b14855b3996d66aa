package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import com.revshare.ingest.application.IncomingRecord.SourcePartition;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.ControlEvent;
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.domain.UsageEventValidator;
import com.revshare.ingest.domain.Validation;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one pipeline both ways in go through. Every record is validated; then, in <b>one</b> database
 * transaction per batch: the Kafka offsets of its partitions are locked and records already processed are
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
    private final UsageEventStorage store;
    private final ControlStorage controlStore;
    private final ControlMonitor controlMonitor;
    private final IntakeStorage intakeStore;
    private final RejectionSink rejections;
    private final OutboxSignal outbox;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final String groupId;

    public UsageIntake(IngestConfig config, UsageEventValidator validator, PartnerRegistry partners,
            UsageEventStorage store, ControlStorage controlStore, ControlMonitor controlMonitor, IntakeStorage intakeStore,
            RejectionSink rejections, OutboxSignal outbox, IngestMetrics metrics, Clock clock) {
        this.validator = validator;
        this.partners = partners;
        this.store = store;
        this.controlStore = controlStore;
        this.controlMonitor = controlMonitor;
        this.intakeStore = intakeStore;
        this.rejections = rejections;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
        this.groupId = config.groupId();
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
        String partnerId = only instanceof Validation.Valid v ? v.event().partnerId()
                : only instanceof Validation.ValidControl c ? c.control().partnerId()
                : ((Validation.Invalid) only).partnerId();
        String eventId = only instanceof Validation.Valid v ? v.event().eventId()
                : only instanceof Validation.ValidControl c ? c.control().eventId()
                : ((Validation.Invalid) only).eventId();
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

    /**
     * Whether a failure is the infrastructure's rather than a record's: the database unreachable, out of
     * resources, shut down or rolling back for concurrency (SQLState classes 08, 53, 57, 58, 40), a pool
     * without a connection (no SQLState), or the broker not acknowledging. Anywhere in the cause chain, a
     * Jackson exception or a Kafka record-too-large, serialization or invalid-record exception makes it the record's.
     */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.startsWith("com.fasterxml.") || name.endsWith(".RecordTooLargeException")
                    || name.endsWith(".SerializationException") || name.endsWith(".InvalidRecordException")) {
                return false; // what a record's content causes (it cannot be written or is too large): its fault
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.startsWith("58") || state.startsWith("40")) {
                    return true;
                }
            }
            String name = t.getClass().getName();
            if (name.startsWith("org.apache.kafka.") || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.util.concurrent.ExecutionException || t instanceof java.io.IOException
                    || t instanceof InterruptedException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }

    private static String describe(Throwable e) {
        SQLException sql = recordCaused(e);
        if (sql != null) {
            return "SQLState " + sql.getSQLState();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + root.getClass().getSimpleName();
    }

    private List<Outcome> runBatch(List<IncomingRecord> records, List<Validation> validations, Instant now) {
        Batch batch = QuarkusTransaction.requiringNew().call(() -> inTransaction(records, validations, now));
        if (batch.storedEvents) {
            outbox.committed();
        }
        if (!batch.reconciled.isEmpty()) {
            controlMonitor.changed(batch.reconciled);
        }
        count(records, batch.outcomes);
        return batch.outcomes;
    }

    /** @param reconciled partners whose controls' status may have changed (new usage events or controls) */
    private record Batch(List<Outcome> outcomes, boolean storedEvents, java.util.Set<String> reconciled) {
    }

    private Batch inTransaction(List<IncomingRecord> records, List<Validation> validations, Instant now)
            throws SQLException {
        int n = records.size();
        // 1. offsets stored with the data: leave out what this group already processed
        Map<SourcePartition, Long> processedUpTo = new HashMap<>();
        for (IncomingRecord r : records) {
            if (r.position() != null) {
                processedUpTo.put(r.position().sourcePartition(), 0L);
            }
        }
        processedUpTo = intakeStore.lockOffsets(groupId, processedUpTo.keySet());
        boolean[] skip = new boolean[n];
        Map<SourcePartition, Long> nextOffsets = new HashMap<>();
        for (int i = 0; i < n; i++) {
            IncomingRecord.SourcePosition pos = records.get(i).position();
            if (pos != null) {
                SourcePartition sp = pos.sourcePartition();
                skip[i] = pos.offset() < processedUpTo.getOrDefault(sp, 0L);
                nextOffsets.merge(sp, pos.offset() + 1, Math::max);
            }
        }

        // 2. lock every partner the batch touches, in one sorted statement: event partners and claim partners.
        // An id's first valid record in the batch decides its type; a later record of the other type with the
        // same id is stored in a second round, after the first round claimed the id (SPEC §2.6: one id space).
        String[] claims = new String[n];
        TreeSet<String> touched = new TreeSet<>();
        Map<UsageEvent.Key, Boolean> firstIsControl = new HashMap<>();
        List<Integer> usageFirst = new ArrayList<>();
        List<Integer> controlFirst = new ArrayList<>();
        List<Integer> usageLater = new ArrayList<>();
        List<Integer> controlLater = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                continue;
            }
            Validation v = validations.get(i);
            claims[i] = claimPartner(records.get(i), v);
            if (claims[i] != null) {
                touched.add(claims[i]);
            }
            if (v instanceof Validation.Valid valid) {
                boolean first = !firstIsControl.computeIfAbsent(valid.event().key(), k -> false);
                (first ? usageFirst : usageLater).add(i);
                touched.add(valid.event().partnerId());
            } else if (v instanceof Validation.ValidControl valid) {
                boolean first = firstIsControl.computeIfAbsent(valid.control().key(), k -> true);
                (first ? controlFirst : controlLater).add(i);
                touched.add(valid.control().partnerId());
            }
        }
        Map<String, PartnerCounts> counts = intakeStore.lockPartners(touched);

        // 3. store the valid events (claims ids, numbers usage events gaplessly, is the outbox) and controls
        StoreOutcome[] stored = new StoreOutcome[n];
        storeUsage(records, validations, usageFirst, stored, now);
        storeControls(records, validations, controlFirst, stored, now);
        storeUsage(records, validations, usageLater, stored, now);
        storeControls(records, validations, controlLater, stored, now);

        // 4. outcomes, rejections with their claim partner's running number, counts, hourly totals
        List<Outcome> outcomes = new ArrayList<>(n);
        List<RejectionSink.RejectedRecord> toPublish = new ArrayList<>();
        List<StoredRejection> toStore = new ArrayList<>();
        Map<String, Long> duplicates = new HashMap<>();
        Map<String, Long> rejected = new HashMap<>();
        Map<String, Long> controls = new HashMap<>();
        List<UsageEvent> acceptedEvents = new ArrayList<>();
        java.util.Set<String> reconciled = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                outcomes.add(new Outcome.AlreadyProcessed());
                continue;
            }
            Outcome outcome;
            Validation v = validations.get(i);
            if (v instanceof Validation.Valid valid) {
                UsageEvent e = valid.event();
                StoreOutcome so = stored[i];
                if (so instanceof StoreOutcome.Claimed c) {
                    outcome = new Outcome.Accepted(e.partnerId(), e.eventId(), c.ingestSequence());
                    acceptedEvents.add(e);
                    reconciled.add(e.partnerId());
                } else if (so instanceof StoreOutcome.Duplicate) {
                    outcome = new Outcome.Duplicate(e.partnerId(), e.eventId());
                    duplicates.merge(e.partnerId(), 1L, Long::sum);
                } else {
                    outcome = new Outcome.Rejected(RejectionReason.DUPLICATE_CONFLICT,
                            "id \"" + e.eventId() + "\" was already accepted with different content", e.partnerId(),
                            e.eventId());
                }
            } else if (v instanceof Validation.ValidControl valid) {
                ControlEvent e = valid.control();
                StoreOutcome so = stored[i];
                if (so instanceof StoreOutcome.Claimed) {
                    outcome = new Outcome.AcceptedControl(e.partnerId(), e.eventId());
                    controls.merge(e.partnerId(), 1L, Long::sum);
                    reconciled.add(e.partnerId());
                } else if (so instanceof StoreOutcome.Duplicate) {
                    outcome = new Outcome.Duplicate(e.partnerId(), e.eventId());
                    duplicates.merge(e.partnerId(), 1L, Long::sum);
                } else {
                    outcome = new Outcome.Rejected(RejectionReason.DUPLICATE_CONFLICT,
                            "id \"" + e.eventId() + "\" was already accepted with different content", e.partnerId(),
                            e.eventId());
                }
            } else {
                Validation.Invalid invalid = (Validation.Invalid) v;
                outcome = new Outcome.Rejected(invalid.reason(), invalid.detail(), invalid.partnerId(),
                        invalid.eventId());
            }
            if (outcome instanceof Outcome.Rejected r) {
                IncomingRecord record = records.get(i);
                String claim = claims[i];
                Long claimSequence = null;
                if (claim != null) {
                    long k = rejected.merge(claim, 1L, Long::sum);
                    claimSequence = counts.get(claim).rejected() + k;
                }
                toPublish.add(new RejectionSink.RejectedRecord(r, record.raw(), now));
                toStore.add(new StoredRejection(claim, claimSequence, now, r.reason().name(), storable(r.detail()),
                        r.partnerId(), storable(r.eventId()), record.size(), Digests.sha256Hex(record.raw()), record.channel(),
                        record.position()));
            }
            outcomes.add(outcome);
        }
        controlStore.addToHourlyTotals(acceptedEvents);
        intakeStore.insertRejections(toStore);
        intakeStore.addCounts(duplicates, rejected, controls);
        intakeStore.advanceOffsets(groupId, nextOffsets);

        // 5. the rejections reach the broker before the commit: a rejection is never stored yet unpublished
        if (!toPublish.isEmpty()) {
            rejections.publish(toPublish);
        }
        return new Batch(outcomes, !usageFirst.isEmpty() || !usageLater.isEmpty(), reconciled);
    }

    private void storeUsage(List<IncomingRecord> records, List<Validation> validations, List<Integer> indexes,
            StoreOutcome[] stored, Instant now) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        List<IntakeItem> items = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            IncomingRecord r = records.get(i);
            items.add(new IntakeItem(((Validation.Valid) validations.get(i)).event(), r.raw(), r.submittedAt(),
                    r.channel()));
        }
        List<StoreOutcome> outcomes = store.store(items, now);
        for (int k = 0; k < indexes.size(); k++) {
            stored[indexes.get(k)] = outcomes.get(k);
        }
    }

    private void storeControls(List<IncomingRecord> records, List<Validation> validations, List<Integer> indexes,
            StoreOutcome[] stored, Instant now) throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        List<ControlItem> items = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            IncomingRecord r = records.get(i);
            items.add(new ControlItem(((Validation.ValidControl) validations.get(i)).control(), r.raw(), r.channel()));
        }
        List<StoreOutcome> outcomes = controlStore.store(items, now);
        for (int k = 0; k < indexes.size(); k++) {
            stored[indexes.get(k)] = outcomes.get(k);
        }
    }

    /**
     * The partner a record counts for (SPEC §2.7): the authenticated partner over HTTP; the topic's partner on
     * a partner topic; on the shared topic the record key when it is a registered partner, else the record's partner id when that is registered; else none.
     */
    private String claimPartner(IncomingRecord record, Validation v) {
        PartnerClaim claim = record.claim();
        if (record.channel() == Channel.HTTP) {
            return claim == null || !PARTNER_ID.matcher(claim.partnerId()).matches() ? null : claim.partnerId();
        }
        if (claim != null && claim.isTopic()) {
            // a partner topic: the topic's partner, whatever the record says (SPEC §2.4)
            return PARTNER_ID.matcher(claim.partnerId()).matches() ? claim.partnerId() : null;
        }
        if (v instanceof Validation.Valid valid) {
            return valid.event().partnerId();
        }
        if (v instanceof Validation.ValidControl valid) {
            return valid.control().partnerId();
        }
        if (claim != null && partners.isRegistered(claim.partnerId())) {
            return claim.partnerId();
        }
        String named = ((Validation.Invalid) v).partnerId();
        return named != null && partners.isRegistered(named) ? named : null;
    }

    /**
     * The database error when a failure was caused by the data of the batch (data exception 22xxx, integrity
     * violation 23xxx, a raised exception P0xxx, a program limit 54xxx), else null (a transient failure).
     */
    static SQLException recordCaused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0")
                        || state.startsWith("54"))) {
                    return sql;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * Text as PostgreSQL can store it: NUL and unpaired surrogates (which a rejected record's id may hold) become
     * U+FFFD, so storing a rejection can never fail on its content (the record itself is on the rejected topic).
     */
    static String storable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c == 0 || (Character.isLowSurrogate(c))
                    || (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))));
            if (Character.isHighSurrogate(c) && !bad) {
                if (b != null) {
                    b.append(c).append(s.charAt(i + 1));
                }
                i++;
                continue;
            }
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
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
