package com.revshare.reporting.application;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jboss.logging.Logger;

import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.domain.BatchProjection;
import com.revshare.reporting.domain.EntrySequencer;
import com.revshare.reporting.domain.LedgerEntry;
import com.revshare.reporting.domain.PeriodProof;
import com.revshare.reporting.application.ProjectionRepository.BatchWrite;
import com.revshare.reporting.application.ProjectionRepository.CursorRow;
import com.revshare.reporting.application.ProjectionRepository.CursorUpdate;
import com.revshare.reporting.application.ProjectionRepository.EntryRow;
import com.revshare.reporting.application.ProjectionRepository.ProofUpdate;
import com.revshare.reporting.application.ProjectionRepository.WaitingRange;
import com.revshare.reporting.application.HeldRecordRepository.NewHeldRecord;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies one poll's records to a read-model generation in one database transaction: parse,
 * decide per partner what to apply (exactly once, in sequence order, waiting behind gaps),
 * pre-aggregate in memory, write a handful of statements. The cursors are written in the same
 * transaction (and locked while it runs), so a re-delivery after a crash before the offset
 * commit is skipped. When a missing sequence arrives, the entries waiting behind it are read back
 * and applied in bounded chunks, at most about {@code waiting-release-max-entries-per-transaction}
 * per transaction; the result names the partners whose release goes on ({@link #release}).
 */
@ApplicationScoped
public class EntryApplier {
    private static final Logger LOG = Logger.getLogger(EntryApplier.class);

    private final ProjectionRepository store;
    private final EntryCodec codec;
    private final int rawLimitBytes;
    private final int parallelParseThreshold;
    private final int releaseChunk;
    private final int releaseMaxPerTransaction;

    public EntryApplier(ProjectionRepository store, EntryCodec codec, ReportingConfig config) {
        this.store = store;
        this.codec = codec;
        this.rawLimitBytes = config.consumer().invalidRecordRawLimitBytes();
        this.parallelParseThreshold = config.consumer().parallelParseThresholdRecords();
        this.releaseChunk = config.consumer().waitingReleaseChunkEntries();
        this.releaseMaxPerTransaction = config.consumer().waitingReleaseMaxEntriesPerTransaction();
    }

    /** Applies to the active generation (the live consumer). */
    public ApplyResult applyToActive(List<DeliveredRecord> records) {
        return apply(records, null);
    }

    /** Applies to {@code schema} (a rebuild), or to the active generation when null. */
    public ApplyResult apply(List<DeliveredRecord> records, String schema) {
        return apply(records, Set.of(), schema);
    }

    /**
     * Goes on releasing the waiting entries of {@code partners} (a previous result's
     * {@code releasePending}), in one transaction, into {@code schema} or the active generation.
     */
    public ApplyResult release(Set<String> partners, String schema) {
        return apply(List.of(), partners, schema);
    }

    /** Partners with a release left unfinished (e.g. by a stopped process), in {@code schema} or the active one. */
    public Set<String> pendingReleases(String schema) {
        return store.inTransaction(schema, session -> new LinkedHashSet<>(session.pendingReleases()));
    }

    private ApplyResult apply(List<DeliveredRecord> records, Set<String> release, String schema) {
        long t0 = System.nanoTime();
        List<Parsed> parsed = parse(records);
        long t1 = System.nanoTime();
        return store.inTransaction(schema, session -> applyIn(session, session.schema(), parsed, release, t0, t1));
    }

    /** A record read as an entry with its canonical JSON, or the reason it is not one. */
    private record Parsed(DeliveredRecord record, LedgerEntry entry, String canonical, String error) {
    }

    /**
     * Parsing and canonical serialization are pure and dominate the CPU of a batch, so a large
     * batch is parsed in parallel (encounter order is kept), before the transaction opens.
     */
    private List<Parsed> parse(List<DeliveredRecord> records) {
        var stream = records.size() >= parallelParseThreshold ? records.parallelStream() : records.stream();
        return stream.map(r -> {
            try {
                LedgerEntry entry = codec.parse(r.value());
                return new Parsed(r, entry, codec.canonicalJson(entry), null);
            } catch (IllegalArgumentException e) {
                return new Parsed(r, null, null, e.getMessage());
            }
        }).toList();
    }

    private ApplyResult applyIn(ProjectionRepository.Session c, String schema, List<Parsed> parsed, Set<String> release, long t0,
            long t1) throws Exception {
        Map<String, List<LedgerEntry>> byPartner = new LinkedHashMap<>();
        Map<LedgerEntry, String> canonical = new IdentityHashMap<>();
        Map<LedgerEntry, DeliveredRecord> sources = new IdentityHashMap<>();
        List<NewHeldRecord> invalid = new ArrayList<>();
        for (Parsed p : parsed) {
            DeliveredRecord r = p.record();
            if (p.entry() == null) {
                EntryCodec.Identity who = codec.identify(r.key(), r.value());
                LOG.errorf("held unreadable record at %s-%d@%d (partner %s, sequence %s): %s; see "
                        + "GET /api/v1/operations/held-records", r.topic(), r.partition(), r.offset(),
                        who.partnerId(), who.sequence(), p.error());
                invalid.add(new NewHeldRecord(HeldRecordRepository.UNREADABLE_ENTRY, r.topic(), r.partition(), r.offset(),
                        storable(r.key()), who.partnerId(), who.sequence(), storable(p.error()), rawText(r.value()),
                        r.value() == null ? null : r.value().length));
                continue;
            }
            LedgerEntry entry = p.entry();
            sources.put(entry, r);
            if (r.key() != null && !r.key().equals(entry.partnerId())) {
                LOG.warnf("ledger entry %s/%d at %s-%d@%d has record key %s", entry.partnerId(), entry.sequence(),
                        r.topic(), r.partition(), r.offset(), r.key());
            }
            byPartner.computeIfAbsent(entry.partnerId(), k -> new ArrayList<>()).add(entry);
            canonical.put(entry, p.canonical());
        }
        Map<String, CursorRow> cursors = c.cursors(byPartner.keySet());

        // Read back only what the decisions need from the entries waiting behind gaps: those whose
        // sequence is delivered again; where the batch delivers the missing sequence, the run after
        // it up to the release chunk; else the next sequence alone, which waits only when a release
        // is unfinished (then this transaction goes on with it). Longer runs: further rounds below.
        List<WaitingRange> ranges = new ArrayList<>();
        Map<String, Long> knownThrough = new HashMap<>();
        for (Map.Entry<String, List<LedgerEntry>> e : byPartner.entrySet()) {
            CursorRow row = cursors.get(e.getKey());
            if (row == null || row.waitingCount() == 0) {
                continue;
            }
            long applied = row.appliedSequence();
            boolean fillsGap = e.getValue().stream().anyMatch(entry -> entry.sequence() == applied + 1);
            long known = fillsGap ? applied + releaseChunk : applied + 1;
            knownThrough.put(e.getKey(), known);
            ranges.add(new WaitingRange(e.getKey(), applied + 1, known));
            for (long seq : e.getValue().stream().mapToLong(LedgerEntry::sequence).filter(seq -> seq > known)
                    .distinct().toArray()) {
                ranges.add(new WaitingRange(e.getKey(), seq, seq));
            }
        }
        Round round = new Round();
        Map<String, EntrySequencer.Cursor> next = new LinkedHashMap<>();
        Map<String, TreeMap<Long, String>> waitingPayloads = c.waiting(ranges);
        for (Map.Entry<String, List<LedgerEntry>> e : byPartner.entrySet()) {
            CursorRow row = cursors.get(e.getKey());
            EntrySequencer.Cursor cursor = row == null ? EntrySequencer.Cursor.initial()
                    : new EntrySequencer.Cursor(row.appliedSequence(), row.waitingCount(),
                            waiting(waitingPayloads.get(e.getKey()), canonical, round),
                            knownThrough.getOrDefault(e.getKey(), Long.MAX_VALUE));
            round.decide(e.getKey(), cursor, row == null, e.getValue(), canonical, sources, next);
        }
        round.held.addAll(invalid);
        long t2 = System.nanoTime();
        Totals totals = new Totals();
        totals.add(round);
        round.write(c);

        // releases asked for by the caller (left unfinished by earlier transactions)
        List<String> asked = release.stream().filter(p -> !next.containsKey(p)).toList();
        if (!asked.isEmpty()) {
            c.cursors(asked).forEach((partnerId, row) -> {
                if (row.waitingCount() > 0) {
                    next.put(partnerId, new EntrySequencer.Cursor(row.appliedSequence(), row.waitingCount(),
                            new TreeMap<>(), row.appliedSequence()));
                }
            });
        }

        // a run longer than the release chunk: go on, one bounded round at a time, up to the
        // transaction's share; what is left is released by the next transactions
        while (!next.isEmpty() && totals.applied < releaseMaxPerTransaction) {
            Map<String, EntrySequencer.Cursor> pending = new LinkedHashMap<>(next);
            next.clear();
            ranges = new ArrayList<>();
            for (Map.Entry<String, EntrySequencer.Cursor> e : pending.entrySet()) {
                long applied = e.getValue().appliedSequence();
                ranges.add(new WaitingRange(e.getKey(), applied + 1, applied + releaseChunk));
            }
            round = new Round();
            waitingPayloads = c.waiting(ranges);
            for (Map.Entry<String, EntrySequencer.Cursor> e : pending.entrySet()) {
                EntrySequencer.Cursor previous = e.getValue();
                EntrySequencer.Cursor cursor = new EntrySequencer.Cursor(previous.appliedSequence(),
                        previous.waitingCount(), waiting(waitingPayloads.get(e.getKey()), canonical, round),
                        previous.appliedSequence() + releaseChunk);
                round.decide(e.getKey(), cursor, false, List.of(), canonical, Map.of(), next);
            }
            totals.add(round);
            round.write(c);
        }
        long t3 = System.nanoTime();
        LOG.debugf("batch of %d records into %s: parse %d ms, decide %d ms, write %d ms (%d rounds)", parsed.size(),
                schema, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, totals.rounds);
        return new ApplyResult(schema, totals.applied, totals.redelivered, totals.conflicting, invalid.size(),
                new ArrayList<>(totals.gaps.values()), totals.waitingRead, Set.copyOf(next.keySet()));
    }

    /** Parses read-back waiting payloads (their canonical JSON is the payload itself). */
    private TreeMap<Long, LedgerEntry> waiting(TreeMap<Long, String> payloads, Map<LedgerEntry, String> canonical,
            Round round) {
        TreeMap<Long, LedgerEntry> waiting = new TreeMap<>();
        if (payloads != null) {
            payloads.forEach((seq, payload) -> {
                LedgerEntry entry = codec.parse(payload.getBytes(StandardCharsets.UTF_8));
                waiting.put(seq, entry);
                canonical.put(entry, payload);
            });
            round.waitingRead += payloads.size();
        }
        return waiting;
    }

    /** The decisions of one round and what they write: one BatchWrite, bounded by the batch and the chunk. */
    private final class Round {
        final BatchProjection projection = new BatchProjection();
        /** The applied entries by booking period, in sequence order, for the periods' proofs. */
        final Map<BatchProjection.PeriodKey, List<LedgerEntry>> proofEntries = new LinkedHashMap<>();
        final List<EntryRow> applied = new ArrayList<>();
        final List<EntryRow> newlyWaiting = new ArrayList<>();
        final Map<String, List<Long>> released = new HashMap<>();
        final List<CursorUpdate> cursorUpdates = new ArrayList<>();
        final List<NewHeldRecord> held = new ArrayList<>();
        final Map<String, ApplyResult.Gap> gaps = new LinkedHashMap<>();
        final List<String> gapsClosed = new ArrayList<>();
        int redelivered;
        int conflicting;
        int waitingRead;

        void decide(String partnerId, EntrySequencer.Cursor cursor, boolean newPartner, List<LedgerEntry> delivered,
                Map<LedgerEntry, String> canonical, Map<LedgerEntry, DeliveredRecord> sources,
                Map<String, EntrySequencer.Cursor> next) {
            EntrySequencer.Decision d = EntrySequencer.decide(cursor, delivered);
            redelivered += d.redelivered();
            conflicting += d.conflicting();
            for (LedgerEntry entry : d.conflictingEntries()) {
                DeliveredRecord r = sources.get(entry);
                if (r == null) {
                    continue;
                }
                String error = "sequence " + entry.sequence() + " re-delivered with other content (entryId "
                        + entry.entryId() + ", kind " + entry.kind() + ", amount " + entry.amount().toPlainString()
                        + ") than the entry already known for it; the first one stays";
                LOG.errorf("held conflicting record at %s-%d@%d, partner %s: %s; see "
                        + "GET /api/v1/operations/held-records", r.topic(), r.partition(), r.offset(), partnerId, error);
                held.add(new NewHeldRecord(HeldRecordRepository.CONFLICTING_ENTRY, r.topic(), r.partition(), r.offset(),
                        storable(r.key()), partnerId, entry.sequence(), storable(error), rawText(r.value()),
                        r.value() == null ? null : r.value().length));
            }
            for (LedgerEntry entry : d.applied()) {
                projection.add(entry);
                proofEntries.computeIfAbsent(new BatchProjection.PeriodKey(entry.partnerId(), entry.period()),
                        k -> new ArrayList<>()).add(entry);
                applied.add(row(entry, canonical));
            }
            for (LedgerEntry entry : d.newlyWaiting()) {
                newlyWaiting.add(row(entry, canonical));
            }
            if (!d.released().isEmpty()) {
                released.put(partnerId, d.released());
            }
            LedgerEntry last = d.applied().isEmpty() ? null : d.applied().get(d.applied().size() - 1);
            boolean changed = last != null || !d.newlyWaiting().isEmpty() || newPartner
                    || cursor.waitingCount() != d.waitingCount();
            if (changed) {
                cursorUpdates.add(new CursorUpdate(partnerId, d.appliedSequence(),
                        last == null ? null : last.postedAt().toString(), last == null ? null : last.currency(),
                        d.waitingCount(), d.gapExpected()));
            }
            if (d.releaseIncomplete()) {
                next.put(partnerId, new EntrySequencer.Cursor(d.appliedSequence(), d.waitingCount(), new TreeMap<>(),
                        d.appliedSequence()));
            } else if (d.hasGap()) {
                gaps.put(partnerId, new ApplyResult.Gap(partnerId, d.gapExpected(), d.waitingCount()));
            } else {
                gapsClosed.add(partnerId);
            }
        }

        void write(ProjectionRepository.Session c) throws Exception {
            c.write(new BatchWrite(projection, applied, newlyWaiting, released, cursorUpdates,
                    held, proofs(c)));
        }

        /**
         * Each touched period's proof (SPEC §4.1) extended by this round's entries, from the state
         * stored with the previous batch: a hash over the batch, not over the period. A period
         * without a stored state (entries of an older reporting) is hashed from its stored entries
         * first, once.
         */
        private List<ProofUpdate> proofs(ProjectionRepository.Session c) throws Exception {
            if (proofEntries.isEmpty()) {
                return List.of();
            }
            Map<BatchProjection.PeriodKey, PeriodProof.Saved> stored = c.proofs(proofEntries.keySet());
            List<ProofUpdate> out = new ArrayList<>(proofEntries.size());
            for (Map.Entry<BatchProjection.PeriodKey, List<LedgerEntry>> e : proofEntries.entrySet()) {
                PeriodProof.Saved saved = stored.get(e.getKey());
                PeriodProof proof;
                if (saved != null) {
                    proof = PeriodProof.resume(saved);
                } else {
                    PeriodProof fresh = new PeriodProof();
                    c.periodEntries(e.getKey().partnerId(), e.getKey().period(),
                            (sequence, payload) -> fresh.add(codec.parse(payload.getBytes(StandardCharsets.UTF_8))));
                    proof = fresh;
                }
                for (LedgerEntry entry : e.getValue()) {
                    // the cursor applies each sequence once, so every entry is past the stored state;
                    // one that is not is already in the hash and must not be added twice
                    if (proof.lastSequence() == null || entry.sequence() > proof.lastSequence()) {
                        proof.add(entry);
                    }
                }
                out.add(new ProofUpdate(e.getKey(), proof.saved()));
            }
            return out;
        }
    }

    /** What the rounds of one batch did together. */
    private static final class Totals {
        int applied;
        int redelivered;
        int conflicting;
        int waitingRead;
        int rounds;
        final Map<String, ApplyResult.Gap> gaps = new LinkedHashMap<>();

        void add(Round round) {
            rounds++;
            applied += round.applied.size();
            redelivered += round.redelivered;
            conflicting += round.conflicting;
            waitingRead += round.waitingRead;
            round.gapsClosed.forEach(gaps::remove);
            gaps.putAll(round.gaps);
        }
    }

    private EntryRow row(LedgerEntry entry, Map<LedgerEntry, String> canonical) {
        String json = canonical.get(entry);
        return new EntryRow(entry.partnerId(), entry.sequence(), entry.period(), entry.kind().name(),
                json != null ? json : codec.canonicalJson(entry));
    }

    private static String storable(String text) {
        return HeldRecordText.storable(text);
    }

    private String rawText(byte[] value) {
        return HeldRecordText.rawText(value, rawLimitBytes);
    }
}
