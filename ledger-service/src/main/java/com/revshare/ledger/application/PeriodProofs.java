package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.FxRateRecords;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.ProofSources;
import com.revshare.ledger.config.ProofConfig;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.FxRates;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerReplay;
import com.revshare.ledger.domain.NotFoundException;
import com.revshare.ledger.domain.PeriodProof;
import com.revshare.ledger.domain.PeriodStatus;
import com.revshare.ledger.domain.ReplayMemory;
import com.revshare.ledger.domain.UsageEvent;

/**
 * Period proofs (SPEC §4.1): the SHA-256 of the period's stored entries, and {@code replayMatches} — the
 * period's entries re-derived from the recorded inputs alone (the decision journal: usage batches with their
 * events, agreement versions, FX rates by the step they were set at, re-rating and pending-rating chunks,
 * closes, adjustments, write-offs, payments) through the domain decider, compared with the stored entries
 * field for field on the proof line, entry ids through the sequences they name. One read-only snapshot
 * transaction with its own timeout ({@code revshare.ledger.proof.transaction-timeout-s}: a replay of millions
 * of events outlasts the default one); the inputs and the entries stream through cursors, compared in
 * lockstep as the replay posts them, and the replay's usage records (the open periods' usage and the parked
 * events) live in the store's {@link com.revshare.ledger.domain.ReplayMemory} for the transaction, so the heap
 * a proof takes does not grow with the partner's events.
 */
@ApplicationScoped
public class PeriodProofs {
    private static final Logger LOG = Logger.getLogger(PeriodProofs.class);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ProofConfig config;
    @Inject
    Partners store;
    @Inject
    AgreementVersions agreements;
    @Inject
    ProofSources proofs;
    @Inject
    ObjectMapper json;

    /** The answer of GET .../periods/{period}/proof. */
    public record Proof(YearMonth period, String status, long entryCount, Long firstSequence, Long lastSequence,
            String sha256, boolean replayMatches) {
    }

    public Proof proof(String partnerId, YearMonth period) {
        return inOwnTransaction(c -> {
            ReplayMemory memory = proofs.snapshot(c);
            Partner partner = store.partner(c, partnerId)
                    .orElseThrow(() -> new NotFoundException("unknown partner " + partnerId));
            Partners.StreamHead head = store.head(c, partnerId);
            PeriodStatus status = PeriodStatus.of(period, head.lastClosed());
            PeriodProof hash = new PeriodProof();
            boolean matches;
            try (ProofSources.Cursor<ProofSources.StoredEntry> stored = proofs.periodEntries(c, partnerId, period)) {
                Lockstep lockstep = new Lockstep(stored, hash, period);
                matches = replay(c, partner, period, memory, lockstep) && lockstep.drain();
            }
            PeriodProof.Result r = hash.result();
            return new Proof(period, status.name(), r.entryCount(), r.firstSequence(), r.lastSequence(),
                    r.sha256(), matches);
        });
    }

    /**
     * Like {@link Transactions#inNew} but with the proof's own timeout (the transaction reaper would otherwise
     * abort a long replay mid-read: "ResultSet is closed").
     */
    private <T> T inOwnTransaction(Transactions.SqlWork<T> work) {
        return QuarkusTransaction.requiringNew().timeout(config.transactionTimeoutS()).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new Transactions.DataAccessException(e);
            }
        });
    }

    /** Compares each replayed entry of the period with the next stored one, hashing the stored entries. */
    private static final class Lockstep {
        private final ProofSources.Cursor<ProofSources.StoredEntry> stored;
        private final PeriodProof hash;
        private final YearMonth period;
        boolean matches = true;
        boolean periodClosed;

        Lockstep(ProofSources.Cursor<ProofSources.StoredEntry> stored, PeriodProof hash, YearMonth period) {
            this.stored = stored;
            this.hash = hash;
            this.period = period;
        }

        void replayed(LedgerEntry e) {
            if (!e.period().equals(period)) {
                return;
            }
            if (e.kind() == EntryKind.PERIOD_CLOSED) {
                periodClosed = true;
            }
            try {
                ProofSources.StoredEntry s = stored.next();
                String replayedLine = PeriodProof.line(e, Long.toString(LedgerReplay.sequenceOf(e.entryId())),
                        e.reversesEntryId() == null ? null
                                : Long.toString(LedgerReplay.sequenceOf(e.reversesEntryId())));
                if (s == null) {
                    mismatch("replayed " + replayedLine + " but nothing more is stored");
                    return;
                }
                hash.add(s.entry());
                String storedLine = PeriodProof.line(s.entry(), Long.toString(s.entry().sequence()),
                        s.entry().reversesEntryId() == null ? null
                                : s.reversesSequence() == null ? "?" : s.reversesSequence().toString());
                if (!storedLine.equals(replayedLine)) {
                    mismatch("stored " + storedLine + " replayed " + replayedLine);
                }
            } catch (SQLException ex) {
                throw new Transactions.DataAccessException(ex);
            }
        }

        private void mismatch(String what) {
            if (matches) {
                LOG.warnf("proof replay of period %s differs: %s", period, what);
            }
            matches = false;
        }

        /** Hashes what is left of the stored entries; true when nothing was left (and all matched). */
        boolean drain() throws SQLException {
            ProofSources.StoredEntry s;
            boolean more = false;
            while ((s = stored.next()) != null) {
                if (!more) {
                    mismatch("stored entry " + s.entry().sequence() + " was not replayed");
                }
                more = true;
                hash.add(s.entry());
            }
            return matches && !more;
        }
    }

    /** Runs the partner's journal through the decider; false when an input cannot be replayed. */
    private boolean replay(Connection c, Partner partner, YearMonth period, ReplayMemory memory,
            Lockstep lockstep) throws SQLException {
        String partnerId = partner.partnerId();
        Map<Integer, AgreementVersion> versions = new java.util.HashMap<>();
        agreements.versions(c, List.of(partnerId)).getOrDefault(partnerId, List.of())
                .forEach(v -> versions.put(v.version(), v));
        Map<FxRateRecords.FxKey, ProofSources.SteppedRate> rates = proofs.fxRates(c, partner.currency());
        LedgerReplay replay = new LedgerReplay(partnerId, partner.currency(), memory, lockstep::replayed);
        try (ProofSources.Cursor<ProofSources.JournalRow> journal = proofs.journal(c, partnerId);
                ProofSources.Cursor<ProofSources.SteppedEvent> usage = proofs.steppedUsage(c, partnerId)) {
            ProofSources.SteppedEvent next = usage.next();
            ProofSources.JournalRow row;
            while ((row = journal.next()) != null && !(lockstep.periodClosed)) {
                long step = row.step();
                FxRates fx = (date, base, quote) -> {
                    ProofSources.SteppedRate r = rates.get(new FxRateRecords.FxKey(date, base, quote));
                    return r == null || (r.step() != null && r.step() > step) ? null : r.rate();
                };
                if (row.kind().equals("USAGE")) {
                    List<UsageEvent> events = new java.util.ArrayList<>();
                    while (next != null && next.step() <= step) {
                        if (next.step() == step) {
                            events.add(next.event());
                        }
                        next = usage.next();
                    }
                    replay.decide(new LedgerCommand.RecordUsage(events), row.at(), fx);
                    continue;
                }
                JsonNode in = json.readTree(row.inputJson());
                if (row.kind().equals("AGREEMENT")) {
                    AgreementVersion v = versions.get(in.get("version").asInt());
                    if (v == null) {
                        LOG.warnf("proof replay of %s: agreement version %s is not stored", partnerId, in.get("version"));
                        return false;
                    }
                    replay.agreementAdded(v);
                    continue;
                }
                replay.decide(command(row.kind(), in), row.at(), fx);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            if (e instanceof Transactions.DataAccessException d) {
                throw d;
            }
            LOG.warnf("proof replay of %s %s failed: %s", partnerId, period, e.toString());
            return false;
        }
        return true;
    }

    private static LedgerCommand command(String kind, JsonNode in) {
        return switch (kind) {
            case "RERATE" -> new LedgerCommand.ReRate(in.get("afterSequence").asLong(), in.get("limit").asInt());
            case "RATE_PENDING" -> new LedgerCommand.RatePending(
                    text(in, "afterTime") == null ? null : Instant.parse(text(in, "afterTime")), text(in, "afterId"),
                    in.get("limit").asInt());
            case "CLOSE" -> new LedgerCommand.ClosePeriod(YearMonth.parse(text(in, "period")),
                    in.get("force").asBoolean());
            case "ADJUSTMENT" -> new LedgerCommand.PostAdjustment(YearMonth.parse(text(in, "period")),
                    text(in, "amount"), text(in, "memo"));
            case "WRITE_OFF" -> new LedgerCommand.WriteOff(text(in, "eventId"), text(in, "memo"));
            case "PAYMENT" -> new LedgerCommand.RecordPayment(text(in, "paymentId"), text(in, "amount"),
                    text(in, "currency"), text(in, "receivedOn"), text(in, "reference"));
            default -> throw new IllegalStateException("unknown journal kind " + kind);
        };
    }

    private static String text(JsonNode in, String field) {
        JsonNode v = in.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
