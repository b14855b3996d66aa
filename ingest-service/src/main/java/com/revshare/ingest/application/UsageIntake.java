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
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.domain.UsageEventValidator;
import com.revshare.ingest.domain.Validation;
import com.revshare.ingest.persistence.IntakeStore;
import com.revshare.ingest.persistence.UsageEventStore;

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
    private final UsageEventStore store;
    private final IntakeStore intakeStore;
    private final RejectionSink rejections;
    private final OutboxSignal outbox;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final String groupId;

    public UsageIntake(IngestConfig config, PartnerRegistry partners, UsageEventStore store, IntakeStore intakeStore,
            RejectionSink rejections, OutboxSignal outbox, IngestMetrics metrics, Clock clock) {
        this.validator = new UsageEventValidator(config.recordSizeLimitBytes(), config.futureTolerance());
        this.partners = partners;
        this.store = store;
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
            validations.add(validator.validate(r.raw(), r.claim(), partners, now));
        }
        return isolate(records, validations, now);
    }

    /** Runs the batch; a record-caused failure splits it in halves until the failing record stands alone. */
    private List<Outcome> isolate(List<IncomingRecord> records, List<Validation> validations, Instant now) {
        try {
            return runBatch(records, validations, now);
        } catch (RuntimeException e) {
            SQLException cause = recordCaused(e);
            if (cause == null) {
                throw e;
            }
            if (records.size() == 1) {
                Validation only = validations.get(0);
                if (!(only instanceof Validation.Valid valid)) {
                    throw e; // a rejection alone failed: not the record's content, retry as a whole
                }
                metrics.unstorable();
                UsageEvent ev = valid.event();
                LOG.warnf("event %s/%s passed validation but could not be stored (SQLState %s): rejecting it",
                        ev.partnerId(), ev.eventId(), cause.getSQLState());
                Validation rejected = new Validation.Invalid(RejectionReason.INVALID_FIELD,
                        "(record) passed validation but could not be stored (SQLState " + cause.getSQLState()
                                + "): " + abbreviate(cause.getMessage()),
                        ev.partnerId(), ev.eventId());
                return runBatch(records, List.of(rejected), now);
            }
            int half = records.size() / 2;
            LOG.infof("batch of %d records failed on its content (SQLState %s), bisecting", records.size(),
                    cause.getSQLState());
            List<Outcome> outcomes = new ArrayList<>(isolate(records.subList(0, half), validations.subList(0, half), now));
            outcomes.addAll(isolate(records.subList(half, records.size()), validations.subList(half, records.size()), now));
            return outcomes;
        }
    }

    private List<Outcome> runBatch(List<IncomingRecord> records, List<Validation> validations, Instant now) {
        Batch batch = QuarkusTransaction.requiringNew().call(() -> inTransaction(records, validations, now));
        if (batch.storedEvents) {
            outbox.committed();
        }
        count(records, batch.outcomes);
        return batch.outcomes;
    }

    private record Batch(List<Outcome> outcomes, boolean storedEvents) {
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

        // 2. lock every partner the batch touches, in one sorted statement: event partners and claim partners
        String[] claims = new String[n];
        List<IntakeItem> items = new ArrayList<>();
        TreeSet<String> touched = new TreeSet<>();
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
                IncomingRecord r = records.get(i);
                items.add(new IntakeItem(valid.event(), r.raw(), r.submittedAt(), r.channel()));
                touched.add(valid.event().partnerId());
            }
        }
        Map<String, PartnerCounts> counts = intakeStore.lockPartners(touched);

        // 3. store the valid events (claims ids, numbers them gaplessly, is the outbox)
        List<StoreOutcome> stored = items.isEmpty() ? List.of() : store.store(items, now);

        // 4. outcomes, rejections with their claim partner's running number, counts
        List<Outcome> outcomes = new ArrayList<>(n);
        List<RejectionSink.RejectedRecord> toPublish = new ArrayList<>();
        List<StoredRejection> toStore = new ArrayList<>();
        Map<String, Long> duplicates = new HashMap<>();
        Map<String, Long> rejected = new HashMap<>();
        int next = 0;
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                outcomes.add(new Outcome.AlreadyProcessed());
                continue;
            }
            Outcome outcome;
            if (validations.get(i) instanceof Validation.Valid valid) {
                UsageEvent e = valid.event();
                StoreOutcome so = stored.get(next++);
                if (so instanceof StoreOutcome.Claimed c) {
                    outcome = new Outcome.Accepted(e.partnerId(), e.eventId(), c.ingestSequence());
                } else if (so instanceof StoreOutcome.Duplicate) {
                    outcome = new Outcome.Duplicate(e.partnerId(), e.eventId());
                    duplicates.merge(e.partnerId(), 1L, Long::sum);
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
        intakeStore.insertRejections(toStore);
        intakeStore.addCounts(duplicates, rejected);
        intakeStore.advanceOffsets(groupId, nextOffsets);

        // 5. the rejections reach the broker before the commit: a rejection is never stored yet unpublished
        if (!toPublish.isEmpty()) {
            rejections.publish(toPublish);
        }
        return new Batch(outcomes, !items.isEmpty());
    }

    /**
     * The partner a record counts for (SPEC §2.7): the authenticated partner over HTTP; on Kafka the record
     * key when it is a registered partner, else the record's partner id when that is registered; else none.
     */
    private String claimPartner(IncomingRecord record, Validation v) {
        PartnerClaim claim = record.claim();
        if (record.channel() == Channel.HTTP) {
            return claim == null || !PARTNER_ID.matcher(claim.partnerId()).matches() ? null : claim.partnerId();
        }
        if (v instanceof Validation.Valid valid) {
            return valid.event().partnerId();
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
