package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.Partners.StreamHead;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.Payments;
import com.revshare.ledger.application.PeriodTotals;
import com.revshare.ledger.application.UsageEvents;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Money;
import com.revshare.ledger.domain.PeriodStatus;
import com.revshare.ledger.domain.Periods;
import com.revshare.ledger.domain.UsageRecord;

/** The ledger's reads for the API: agreements, unrated events, the balance of SPEC §5, payments. */
@ApplicationScoped
public class LedgerQueries {
    @Inject
    Transactions tx;
    @Inject
    IngestCompleteness completeness;
    @Inject
    PartnerStates states;
    @Inject
    Partners store;
    @Inject
    UsageEvents usage;
    @Inject
    AgreementVersions agreements;
    @Inject
    PeriodTotals periodRepo;
    @Inject
    Payments paymentRepo;

    /** The balance of SPEC §5. */
    public record Balance(String partnerId, String currency, BigDecimal receivable, long lastSequence,
            long ingestSequence, long unratedCount, List<PeriodResult> periods) {
    }


    public List<AgreementVersion> agreements(String partnerId) {
        return tx.inNew(c -> {
            states.requirePartner(c, partnerId);
            return agreements.versions(c, List.of(partnerId)).getOrDefault(partnerId, List.of());
        });
    }


    public List<UsageRecord> unrated(String partnerId, int limit) {
        return tx.inNew(c -> {
            states.requirePartner(c, partnerId);
            return usage.unrated(c, partnerId, limit);
        });
    }

    // ---- balance ----

    public Balance balance(String partnerId) {
        return tx.inNew(c -> {
            Partner partner = states.requirePartner(c, partnerId);
            StreamHead head = store.head(c, partnerId);
            List<PeriodResult> periods = new ArrayList<>();
            BigDecimal receivable = BigDecimal.ZERO;
            for (PeriodTotals.PeriodFigures f : periodRepo.periodFigures(c, partnerId, null)) {
                BigDecimal total = Money.round8(f.total());
                receivable = receivable.add(total);
                periods.add(new PeriodResult(partnerId, f.period(),
                        PeriodStatus.of(f.period(), head.lastClosed()).name(), partner.currency(),
                        total, Money.amountDue(total, partner.currency()), f.eventCount(), f.closedAt()));
            }
            // SPEC §4: the receivable = Σ charges − Σ payments
            receivable = receivable.subtract(paymentRepo.paidTotal(c, partnerId));
            return new Balance(partnerId, partner.currency(), Money.round8(receivable), head.lastSequence(),
                    completeness.ingestSequence(c, partnerId), usage.unratedCount(c, partnerId), periods);
        });
    }


    /** The partner's PAYMENT entries in receivedOn, then sequence order (at most {@code limit}). */
    public List<LedgerEntry> payments(String partnerId, int limit) {
        return tx.inNew(c -> {
            states.requirePartner(c, partnerId);
            return paymentRepo.payments(c, partnerId, limit);
        });
    }

    /** A period as the API names it (the domain's {@link Periods#parse}). */
}
