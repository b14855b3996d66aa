package com.revshare.ledger.application;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.LedgerConflictException;
import com.revshare.ledger.domain.Money;
import com.revshare.ledger.domain.NotFoundException;

/** The partner registry (SPEC §5): create or update, read, and publication on revshare.partners. */
@ApplicationScoped
public class PartnerService {
    public static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final int NAME_LENGTH_LIMIT = 200;
    /** SPEC §3.8: paymentTermsDays is an integer 0 … 365. */
    public static final int PAYMENT_TERMS_DAYS_LIMIT = 365;

    @Inject
    Transactions tx;
    @Inject
    Partners store;
    @Inject
    AgreementVersions agreements;
    @Inject
    LedgerClock clock;
    @Inject
    PartnerChanges changes;
    @Inject
    ObjectMapper json;
    @Inject
    com.revshare.ledger.application.AuditRecords audit;

    /** The outcome of a PUT: the partner and whether it was created. */
    public record Upserted(Partner partner, boolean created) {
    }

    public static void checkId(String id) {
        if (id == null || !PARTNER_ID.matcher(id).matches()) {
            throw new InvalidFieldException("id", "partner id must match [a-z0-9][a-z0-9-]{1,62}");
        }
    }

    /** {@code paymentTermsDays} null keeps the current value (30 for a new partner). */
    public Upserted upsert(String id, String name, String currency, Integer paymentTermsDays, String actor) {
        checkId(id);
        if (name == null || name.isBlank() || name.length() > NAME_LENGTH_LIMIT) {
            throw new InvalidFieldException("name", "name must be a non-blank string of at most "
                    + NAME_LENGTH_LIMIT + " characters");
        }
        if (!Money.isCurrencyCode(currency)) {
            throw new InvalidFieldException("currency", "currency must be an upper-case ISO 4217 code");
        }
        if (paymentTermsDays != null && (paymentTermsDays < 0 || paymentTermsDays > PAYMENT_TERMS_DAYS_LIMIT)) {
            throw new InvalidFieldException("paymentTermsDays", "paymentTermsDays must be an integer 0 … "
                    + PAYMENT_TERMS_DAYS_LIMIT);
        }
        Upserted result = tx.inNew(c -> {
            Optional<Partner> existing = store.partner(c, id);
            if (existing.isPresent() && !existing.get().currency().equals(currency)) {
                store.lock(c, List.of(id));
                if (!agreements.versions(c, List.of(id)).isEmpty()) {
                    throw new LedgerConflictException("partner " + id
                            + " has agreement versions; its currency cannot change");
                }
            }
            if (existing.isPresent() && existing.get().name().equals(name)
                    && existing.get().currency().equals(currency)
                    && (paymentTermsDays == null || existing.get().paymentTermsDays() == paymentTermsDays)) {
                return new Upserted(existing.get(), false); // the same body again: nothing changed, nothing audited
            }
            var now = clock.now();
            boolean created = store.upsertPartner(c, id, name, currency, paymentTermsDays, now);
            Partner after = store.partner(c, id).orElseThrow();
            audit.record(c, now, actor, created ? "PARTNER_CREATED" : "PARTNER_UPDATED", id, id, null,
                    existing.map(this::auditJson).orElse(null), auditJson(after));
            return new Upserted(after, created);
        });
        changes.published(id);
        return result;
    }

    private String auditJson(Partner p) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("partnerId", p.partnerId());
        view.put("name", p.name());
        view.put("currency", p.currency());
        view.put("paymentTermsDays", p.paymentTermsDays());
        return Jsons.write(json, view);
    }

    public List<Partner> list() {
        return tx.inNew(store::partners);
    }

    public Partner get(String id) {
        return tx.inNew(c -> store.partner(c, id)).orElseThrow(() -> new NotFoundException("unknown partner " + id));
    }
}
