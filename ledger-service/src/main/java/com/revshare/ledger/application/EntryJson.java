package com.revshare.ledger.application;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ledger.domain.LedgerEntry;

/**
 * A ledger entry in its wire shape (docs/events/ledger-entry.v1.schema.json, SPEC §4): as a tree for the
 * API's responses, and as text written field by field for the relay, which publishes every entry once
 * (issue 14: no tree built and walked again per published entry). Both spell the same fields in the same
 * order with the same values (EntryJsonTest).
 */
public final class EntryJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final JsonFactory FACTORY = new JsonFactory();

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

    /** The entry's JSON text, written straight from its fields (what {@link #toJson} serialises to). */
    public static String text(LedgerEntry e) {
        StringWriter out = new StringWriter(768);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("entryId", e.entryId().toString());
            g.writeStringField("partnerId", e.partnerId());
            g.writeNumberField("sequence", e.sequence());
            g.writeStringField("period", e.period().toString());
            g.writeStringField("kind", e.kind().name());
            g.writeStringField("amount", e.amount().toPlainString());
            g.writeStringField("currency", e.currency());
            g.writeStringField("usageEventId", e.usageEventId());
            g.writeStringField("model", e.model());
            g.writeStringField("metric", e.metric());
            number(g, "quantity", e.quantity());
            if (e.revenue() == null) {
                g.writeNullField("revenue");
            } else {
                g.writeObjectFieldStart("revenue");
                g.writeStringField("amount", e.revenue().amount().toPlainString());
                g.writeStringField("currency", e.revenue().currency());
                g.writeEndObject();
            }
            g.writeStringField("fxRate", plain(e.fxRate()));
            g.writeStringField("settlementRevenue", plain(e.settlementRevenue()));
            number(g, "agreementVersion", e.agreementVersion() == null ? null : e.agreementVersion().longValue());
            g.writeStringField("ruleId", e.ruleId());
            g.writeStringField("reversesEntryId", text(e.reversesEntryId()));
            g.writeStringField("originalPeriod", text(e.originalPeriod()));
            g.writeStringField("memo", e.memo());
            g.writeStringField("actor", e.actor());
            g.writeStringField("closedAt", text(e.closedAt()));
            g.writeStringField("eventTime", text(e.eventTime()));
            g.writeStringField("postedAt", e.postedAt().toString());
            g.writeStringField("debitAccount", e.debitAccount());
            g.writeStringField("creditAccount", e.creditAccount());
            g.writeStringField("paymentId", e.paymentId());
            g.writeStringField("receivedOn", e.receivedOn() == null ? null : e.receivedOn().toString());
            g.writeStringField("reference", e.reference());
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void number(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value.longValue());
        }
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
