package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.FxRateRecords;
import com.revshare.ledger.application.Partners.StreamHead;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.PeriodTotals;
import com.revshare.ledger.domain.FxRates;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerContext;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.NotFoundException;
import com.revshare.ledger.domain.PartnerLedger;

/**
 * What a partner's command reads and how its decision is written, shared by {@link AdminCommands},
 * {@link PendingRating} and {@link LedgerQueries}: the partner's row lock and stream head, the state the
 * decider reads (versions, head, tier counters; usage loaded by the command), FX rates on demand, and the
 * write of the decided changes together with the command's step of the decision journal.
 */
@ApplicationScoped
public class PartnerStates {
    @Inject
    ObjectMapper json;
    @Inject
    Partners store;
    @Inject
    AgreementVersions agreements;
    @Inject
    PeriodTotals periods;
    @Inject
    FxRateRecords fxRepo;
    @Inject
    DecidedChanges writer;

    Partner requirePartner(Connection c, String partnerId) throws SQLException {
        return store.partner(c, partnerId).orElseThrow(() -> new NotFoundException("unknown partner " + partnerId));
    }

    StreamHead lockKnown(Connection c, String partnerId) throws SQLException {
        StreamHead head = store.lock(c, List.of(partnerId)).get(partnerId);
        if (head == null) {
            throw new NotFoundException("unknown partner " + partnerId);
        }
        return head;
    }

    /** The state an admin command reads: versions, head and all tier counters (usage is loaded as needed). */
    PartnerLedger adminState(Connection c, StreamHead head) throws SQLException {
        PartnerLedger state = new PartnerLedger(head.partnerId(), head.currency()).withSnapshot(
                agreements.versions(c, List.of(head.partnerId())).getOrDefault(head.partnerId(), List.of()),
                head.lastClosed(), head.lastSequence());
        periods.loadAllCounters(c, state);
        return state;
    }

    /** FX rates read on demand (admin paths touch few dates). */
    LedgerContext adminContext(Connection c, Instant now, String actor) {
        Map<FxRateRecords.FxKey, BigDecimal> cache = new HashMap<>();
        Set<FxRateRecords.FxKey> missing = new java.util.HashSet<>();
        FxRates fx = (date, base, quote) -> {
            FxRateRecords.FxKey key = new FxRateRecords.FxKey(date, base, quote);
            if (cache.containsKey(key)) {
                return cache.get(key);
            }
            if (missing.contains(key)) {
                return null;
            }
            try {
                BigDecimal rate = fxRepo.fxRates(c, List.of(key)).get(key);
                if (rate == null) {
                    missing.add(key);
                } else {
                    cache.put(key, rate);
                }
                return rate;
            } catch (SQLException e) {
                throw new Transactions.DataAccessException(e);
            }
        };
        return new LedgerContext(now, actor, fx, EntryIds::next);
    }

    /**
     * Writes the decided events and, when there are any, records the command as the partner's next step of
     * the decision journal (what the replay of SPEC §4.1 presents to the decider again).
     */
    void write(Connection c, PartnerLedger before, List<LedgerEvent> decided, String kind,
            Map<String, ?> input, Instant now) throws SQLException {
        if (decided.isEmpty()) {
            return;
        }
        writer.write(c, List.of(LedgerChanges.of(before, decided)), false);
        writer.recordInput(c, before.partnerId(), kind, Jsons.write(json, input), now);
    }
}
