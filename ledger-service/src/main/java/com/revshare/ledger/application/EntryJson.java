package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ledger.domain.LedgerEntry;

/** A ledger entry in its wire shape (docs/events/ledger-entry.v1.schema.json, SPEC §4). */
public final class EntryJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private EntryJson() {
    }

    public static ObjectNode toJson(LedgerEntry e) {
        ObjectNode o = NODES.objectNode();
        o.put("entryId", e.entryId().toString());
        o.put("partnerId", e.partnerId());
        o.put("sequence", e.sequence());
        o.put("period", e.period().toString());
        o.put("kind", e.kind().name());
        o.put("amount", e.amount().toPlainString());
        o.put("currency", e.currency());
        o.put("usageEventId", e.usageEventId());
        o.put("model", e.model());
        o.put("metric", e.metric());
        o.put("quantity", e.quantity());
        if (e.revenue() == null) {
            o.putNull("revenue");
        } else {
            ObjectNode r = o.putObject("revenue");
            r.put("amount", e.revenue().amount().toPlainString());
            r.put("currency", e.revenue().currency());
        }
        o.put("fxRate", plain(e.fxRate()));
        o.put("settlementRevenue", plain(e.settlementRevenue()));
        o.put("agreementVersion", e.agreementVersion());
        o.put("ruleId", e.ruleId());
        o.put("reversesEntryId", text(e.reversesEntryId()));
        o.put("originalPeriod", text(e.originalPeriod()));
        o.put("memo", e.memo());
        o.put("actor", e.actor());
        o.put("closedAt", text(e.closedAt()));
        o.put("eventTime", text(e.eventTime()));
        o.put("postedAt", e.postedAt().toString());
        // SPEC §4 v2: a charge debits the partner's receivable and credits the vendor's share, a PAYMENT debits
        // cash and credits the receivable, PERIOD_CLOSED names no account; payment fields only on PAYMENT
        o.put("debitAccount", e.debitAccount());
        o.put("creditAccount", e.creditAccount());
        o.put("paymentId", e.paymentId());
        o.put("receivedOn", e.receivedOn() == null ? null : e.receivedOn().toString());
        o.put("reference", e.reference());
        return o;
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.toPlainString();
    }

    private static String text(UUID id) {
        return id == null ? null : id.toString();
    }

    private static String text(YearMonth p) {
        return p == null ? null : p.toString();
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
