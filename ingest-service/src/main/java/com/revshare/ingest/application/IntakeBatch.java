package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.revshare.ingest.application.IncomingRecord.SourcePartition;
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.domain.Validation;

/**
 * The one database transaction of a validated batch, the same for every way in (HTTP, the shared raw topic, a
 * partner's topic): the Kafka offsets of its partitions are locked and records already processed are left
 * out, the partners it touches are locked, the valid usage events and controls are stored (dedupe, the outbox),
 * every rejection is stored for its partner's list and published, the partners' counts, the hourly totals and
 * the offsets are advanced. Where the ways in differ is only who a record counts for ({@link #claimPartner})
 * and whether it has an offset.
 */
final class IntakeBatch {
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private final PartnerRegistry partners;
    private final UsageEventStorage store;
    private final ControlStorage controlStore;
    private final IntakeStorage intakeStore;
    private final RejectionSink rejections;
    private final String groupId;

    IntakeBatch(PartnerRegistry partners, UsageEventStorage store, ControlStorage controlStore,
            IntakeStorage intakeStore, RejectionSink rejections, String groupId) {
        this.partners = partners;
        this.store = store;
        this.controlStore = controlStore;
        this.intakeStore = intakeStore;
        this.rejections = rejections;
        this.groupId = groupId;
    }

    /**
     * What a committed batch produced.
     *
     * @param outboxRows the new usage events as stored, for the relay to publish after the commit
     * @param reconciled partners whose controls' status may have changed (new usage events or controls)
     */
    record Result(List<Outcome> outcomes, List<OutboxRow> outboxRows, Set<String> reconciled) {
    }

    /** Runs in the caller's transaction; one outcome per record, in order. */
    Result run(List<IncomingRecord> records, List<Validation> validations, Instant now) throws SQLException {
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
            } else if (v instanceof Validation.ValidControl valid) {
                boolean first = firstIsControl.computeIfAbsent(valid.control().key(), k -> true);
                (first ? controlFirst : controlLater).add(i);
            }
            if (!(v instanceof Validation.Invalid)) {
                touched.add(v.partnerId());
            }
        }
        Map<String, PartnerCounts> counts = intakeStore.lockPartners(touched);
        Map<String, Long> lastSequence = new HashMap<>();
        counts.forEach((partner, c) -> lastSequence.put(partner, c.lastIngestSequence()));
        // stored as timestamptz (microseconds): the relay's copy of a row carries exactly what the table holds
        Instant receivedAt = now.truncatedTo(ChronoUnit.MICROS);

        // 3. store the valid events (claims ids, numbers usage events gaplessly, is the outbox) and controls
        StoreOutcome[] stored = new StoreOutcome[n];
        String[] timeText = new String[n]; // each usage event's time, formatted once for the store and the relay
        storeUsage(records, validations, usageFirst, stored, timeText, receivedAt, lastSequence);
        storeControls(records, validations, controlFirst, stored, now);
        storeUsage(records, validations, usageLater, stored, timeText, receivedAt, lastSequence);
        storeControls(records, validations, controlLater, stored, now);

        // 4. outcomes, rejections with their claim partner's running number, counts, hourly totals
        List<Outcome> outcomes = new ArrayList<>(n);
        List<RejectionSink.RejectedRecord> toPublish = new ArrayList<>();
        List<StoredRejection> toStore = new ArrayList<>();
        Map<String, Long> duplicates = new HashMap<>();
        Map<String, Long> rejected = new HashMap<>();
        Map<String, Long> controls = new HashMap<>();
        List<UsageEvent> acceptedEvents = new ArrayList<>();
        List<OutboxRow> outboxRows = new ArrayList<>();
        Set<String> reconciled = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                outcomes.add(new Outcome.AlreadyProcessed());
                continue;
            }
            Validation v = validations.get(i);
            Outcome outcome;
            if (v instanceof Validation.Invalid invalid) {
                outcome = new Outcome.Rejected(invalid.reason(), invalid.detail(), invalid.partnerId(),
                        invalid.eventId());
            } else if (stored[i] instanceof StoreOutcome.Claimed claimed) {
                // new: a usage event gets its ingest sequence, a control is counted; both may change a status
                if (v instanceof Validation.Valid valid) {
                    outcome = new Outcome.Accepted(v.partnerId(), v.eventId(), claimed.ingestSequence());
                    acceptedEvents.add(valid.event());
                    outboxRows.add(outboxRow(valid.event(), timeText[i], claimed.ingestSequence(), receivedAt,
                            records.get(i).submittedAt()));
                } else {
                    outcome = new Outcome.AcceptedControl(v.partnerId(), v.eventId());
                    controls.merge(v.partnerId(), 1L, Long::sum);
                }
                reconciled.add(v.partnerId());
            } else if (stored[i] instanceof StoreOutcome.Duplicate) {
                outcome = new Outcome.Duplicate(v.partnerId(), v.eventId());
                duplicates.merge(v.partnerId(), 1L, Long::sum);
            } else {
                outcome = new Outcome.Rejected(RejectionReason.DUPLICATE_CONFLICT,
                        "id \"" + v.eventId() + "\" was already accepted with different content", v.partnerId(),
                        v.eventId());
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
                        r.partnerId(), storable(r.eventId()), record.size(), Digests.sha256Hex(record.raw()),
                        record.channel(), record.position()));
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
        return new Result(outcomes, outboxRows, reconciled);
    }

    /** The row as the table now holds it (what the relay publishes: time in UTC, amount at scale 8). */
    private static OutboxRow outboxRow(UsageEvent e, String timeText, long sequence, Instant receivedAt,
            Instant submittedAt) {
        UsageEvent.Revenue revenue = e.revenue();
        return new OutboxRow(e.partnerId(), e.eventId(), sequence, timeText, e.model(), e.metric(),
                e.quantity(), revenue == null ? null : revenue.amount(), revenue == null ? null : revenue.currency(),
                e.region(), e.source(), receivedAt, submittedAt);
    }

    private void storeUsage(List<IncomingRecord> records, List<Validation> validations, List<Integer> indexes,
            StoreOutcome[] stored, String[] timeText, Instant receivedAt, Map<String, Long> lastSequence)
            throws SQLException {
        if (indexes.isEmpty()) {
            return;
        }
        List<IntakeItem> items = new ArrayList<>(indexes.size());
        for (int i : indexes) {
            IncomingRecord r = records.get(i);
            UsageEvent e = ((Validation.Valid) validations.get(i)).event();
            timeText[i] = e.time().toString();
            items.add(new IntakeItem(e, r.raw(), r.submittedAt(), r.channel(), timeText[i]));
        }
        place(store.store(items, receivedAt, lastSequence), indexes, stored);
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
        place(controlStore.store(items, now), indexes, stored);
    }

    private static void place(List<StoreOutcome> outcomes, List<Integer> indexes, StoreOutcome[] stored) {
        for (int k = 0; k < indexes.size(); k++) {
            stored[indexes.get(k)] = outcomes.get(k);
        }
    }

    /**
     * The partner a record counts for (SPEC §2.7): the authenticated partner over HTTP; the topic's partner on
     * a partner topic; on the shared topic the record key when it is a registered partner, else the record's
     * partner id when that is registered; else none.
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
        if (!(v instanceof Validation.Invalid)) {
            return v.partnerId();
        }
        if (claim != null && partners.isRegistered(claim.partnerId())) {
            return claim.partnerId();
        }
        String named = v.partnerId();
        return named != null && partners.isRegistered(named) ? named : null;
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
}
