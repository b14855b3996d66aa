package com.revshare.reporting.messaging;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.reporting.application.EntryCodec;
import com.revshare.reporting.domain.EntryKind;
import com.revshare.reporting.domain.LedgerEntry;
import com.revshare.reporting.domain.PartnerIds;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads ledger entries from their wire form and writes the canonical JSON kept for drill-down:
 * the SPEC §4 fields in SPEC order, amounts at scale 8, instants in UTC ISO form. The canonical
 * form depends only on the entry, so a rebuild writes byte-identical payloads.
 */
@ApplicationScoped
public class LedgerEntryCodec implements EntryCodec {
    private final ObjectMapper json;

    public LedgerEntryCodec(ObjectMapper json) {
        this.json = json;
    }

    /** The entry in {@code value}; an IllegalArgumentException says why it is not one. */
    @Override
    public LedgerEntry parse(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("record has no value");
        }
        LedgerEntryMessage m;
        try {
            m = json.readValue(value, LedgerEntryMessage.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a ledger entry JSON object: " + firstLine(e.getMessage()));
        }
        if (m == null) {
            throw new IllegalArgumentException("record value is JSON null");
        }
        if (m.sequence() == null) {
            throw new IllegalArgumentException("missing or invalid field sequence");
        }
        EntryKind kind = EntryKind.parse(m.kind())
                .orElseThrow(() -> new IllegalArgumentException("missing or invalid field kind"));
        return new LedgerEntry(m.entryId(), m.partnerId(), m.sequence(), m.period(), kind,
                decimal(m.amount(), "amount"), m.currency(), m.usageEventId(), m.model(), m.metric(), m.quantity(),
                m.revenue() == null ? null : decimal(m.revenue().amount(), "revenue.amount"),
                m.revenue() == null ? null : m.revenue().currency(), decimal(m.fxRate(), "fxRate"),
                decimal(m.settlementRevenue(), "settlementRevenue"), m.agreementVersion(), m.ruleId(),
                m.reversesEntryId(), m.originalPeriod(), m.memo(), m.actor(), instant(m.closedAt(), "closedAt"),
                instant(m.eventTime(), "eventTime"), instant(m.postedAt(), "postedAt"),
                m.debitAccount() != null ? m.debitAccount() : debitAccount(kind, m.partnerId(), m.currency()),
                m.creditAccount() != null ? m.creditAccount() : creditAccount(kind, m.partnerId()), m.paymentId(),
                date(m.receivedOn(), "receivedOn"), m.reference());
    }

    /**
     * Best effort for a record {@link #parse} rejected: the partner (the record key when it is a
     * partner id, else the value's {@code partnerId}) and the value's {@code sequence}, so a held
     * record names the partner and sequence it blocks where they can be known.
     */
    @Override
    public Identity identify(String key, byte[] value) {
        String partnerId = PartnerIds.isValid(key) ? key : null;
        Long sequence = null;
        if (value != null) {
            try {
                JsonNode tree = json.readTree(value);
                if (tree != null && tree.isObject()) {
                    JsonNode p = tree.get("partnerId");
                    if (partnerId == null && p != null && p.isTextual() && PartnerIds.isValid(p.asText())) {
                        partnerId = p.asText();
                    }
                    JsonNode s = tree.get("sequence");
                    if (s != null && s.isIntegralNumber() && s.canConvertToLong() && s.asLong() >= 1) {
                        sequence = s.asLong();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not JSON: only the key can name the partner
            }
        }
        return new Identity(partnerId, sequence);
    }

    /** The canonical JSON of an entry (what drill-down returns). */
    @Override
    public String canonicalJson(LedgerEntry e) {
        // written field by field with the mapper's own generator: the same bytes as databind of
        // toMessage(e) (LedgerEntryCodecTest holds them equal), without the record, its
        // plain-string copies and the reflective serializer on every entry (issue 14)
        StringWriter out = new StringWriter(768);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("entryId", e.entryId());
            g.writeStringField("partnerId", e.partnerId());
            g.writeNumberField("sequence", e.sequence());
            g.writeStringField("period", e.period());
            g.writeStringField("kind", e.kind().name());
            g.writeStringField("amount", e.amount().toPlainString());
            g.writeStringField("currency", e.currency());
            g.writeStringField("usageEventId", e.usageEventId());
            g.writeStringField("model", e.model());
            g.writeStringField("metric", e.metric());
            g.writeFieldName("quantity");
            if (e.quantity() == null) {
                g.writeNull();
            } else {
                g.writeNumber(e.quantity().longValue());
            }
            g.writeFieldName("revenue");
            if (e.revenueAmount() == null && e.revenueCurrency() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("amount", plain(e.revenueAmount()));
                g.writeStringField("currency", e.revenueCurrency());
                g.writeEndObject();
            }
            g.writeStringField("fxRate", plain(e.fxRate()));
            g.writeStringField("settlementRevenue", plain(e.settlementRevenue()));
            g.writeFieldName("agreementVersion");
            if (e.agreementVersion() == null) {
                g.writeNull();
            } else {
                g.writeNumber(e.agreementVersion().intValue());
            }
            g.writeStringField("ruleId", e.ruleId());
            g.writeStringField("reversesEntryId", e.reversesEntryId());
            g.writeStringField("originalPeriod", e.originalPeriod());
            g.writeStringField("memo", e.memo());
            g.writeStringField("actor", e.actor());
            g.writeStringField("closedAt", text(e.closedAt()));
            g.writeStringField("eventTime", text(e.eventTime()));
            g.writeStringField("postedAt", text(e.postedAt()));
            g.writeStringField("debitAccount", e.debitAccount());
            g.writeStringField("creditAccount", e.creditAccount());
            g.writeStringField("paymentId", e.paymentId());
            g.writeStringField("receivedOn", e.receivedOn() == null ? null : e.receivedOn().toString());
            g.writeStringField("reference", e.reference());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalStateException("cannot serialize entry", ex);
        }
        return out.toString();
    }

    public LedgerEntryMessage toMessage(LedgerEntry e) {
        return new LedgerEntryMessage(e.entryId(), e.partnerId(), e.sequence(), e.period(), e.kind().name(),
                e.amount().toPlainString(), e.currency(), e.usageEventId(), e.model(), e.metric(), e.quantity(),
                e.revenueAmount() == null && e.revenueCurrency() == null ? null
                        : new LedgerEntryMessage.Revenue(plain(e.revenueAmount()), e.revenueCurrency()),
                plain(e.fxRate()), plain(e.settlementRevenue()), e.agreementVersion(), e.ruleId(),
                e.reversesEntryId(), e.originalPeriod(), e.memo(), e.actor(), text(e.closedAt()),
                text(e.eventTime()), text(e.postedAt()), e.debitAccount(), e.creditAccount(), e.paymentId(),
                e.receivedOn() == null ? null : e.receivedOn().toString(), e.reference());
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static String text(Instant value) {
        return value == null ? null : value.toString();
    }

    private static BigDecimal decimal(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("missing or invalid field " + field);
        }
    }

    private static Instant instant(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return IsoInstants.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("missing or invalid field " + field);
        }
    }

    /**
     * The account an entry of an older ledger (without v2 accounts) debits: SPEC §4 fixes it by
     * kind, so drill-down shows every entry's double-entry postings the same way.
     */
    static String debitAccount(EntryKind kind, String partnerId, String currency) {
        return switch (kind) {
            case PERIOD_CLOSED -> null;
            case PAYMENT -> "cash/" + currency;
            default -> "partners/" + partnerId + "/receivable";
        };
    }

    static String creditAccount(EntryKind kind, String partnerId) {
        return switch (kind) {
            case PERIOD_CLOSED -> null;
            case PAYMENT -> "partners/" + partnerId + "/receivable";
            default -> "revenue/" + partnerId + "/share";
        };
    }

    private static LocalDate date(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("missing or invalid field " + field);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
