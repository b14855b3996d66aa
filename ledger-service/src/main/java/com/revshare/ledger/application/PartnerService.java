package com.revshare.ledger.application;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.LedgerConflictException;
import com.revshare.ledger.domain.Money;
import com.revshare.ledger.domain.NotFoundException;
import com.revshare.ledger.messaging.PartnerPublisher;
import com.revshare.ledger.persistence.LedgerStore;
import com.revshare.ledger.persistence.LedgerStore.PartnerRow;

/** The partner registry (SPEC §5): create or update, read, and publication on revshare.partners. */
@ApplicationScoped
public class PartnerService {
    public static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final int NAME_LENGTH_LIMIT = 200;

    @Inject
    Transactions tx;
    @Inject
    LedgerStore store;
    @Inject
    LedgerClock clock;
    @Inject
    PartnerPublisher publisher;
    @Inject
    ObjectMapper json;

    /** The outcome of a PUT: the partner and whether it was created. */
    public record Upserted(PartnerRow partner, boolean created) {
    }

    public static void checkId(String id) {
        if (id == null || !PARTNER_ID.matcher(id).matches()) {
            throw new InvalidFieldException("id", "partner id must match [a-z0-9][a-z0-9-]{1,62}");
        }
    }

    public Upserted upsert(String id, String name, String currency, String actor) {
        checkId(id);
        if (name == null || name.isBlank() || name.length() > NAME_LENGTH_LIMIT) {
            throw new InvalidFieldException("name", "name must be a non-blank string of at most "
                    + NAME_LENGTH_LIMIT + " characters");
        }
        if (!Money.isCurrencyCode(currency)) {
            throw new InvalidFieldException("currency", "currency must be an upper-case ISO 4217 code");
        }
        Upserted result = tx.inNew(c -> {
            Optional<PartnerRow> existing = store.partner(c, id);
            if (existing.isPresent() && !existing.get().currency().equals(currency)) {
                store.lock(c, List.of(id));
                if (!store.versions(c, List.of(id)).isEmpty()) {
                    throw new LedgerConflictException("partner " + id
                            + " has agreement versions; its currency cannot change");
                }
            }
            var now = clock.now();
            boolean created = store.upsertPartner(c, id, name, currency, now);
            store.audit(c, actor, created ? "CreatePartner" : "UpdatePartner", id,
                    Jsons.write(json, Map.of("name", name, "currency", currency)), now);
            return new Upserted(store.partner(c, id).orElseThrow(), created);
        });
        publisher.publish(result.partner());
        return result;
    }

    public List<PartnerRow> list() {
        return tx.inNew(store::partners);
    }

    public PartnerRow get(String id) {
        return tx.inNew(c -> store.partner(c, id)).orElseThrow(() -> new NotFoundException("unknown partner " + id));
    }
}
