package com.revshare.reporting.api;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.revshare.reporting.application.ReportService;
import com.revshare.reporting.domain.Money;
import com.revshare.reporting.domain.PeriodProof;
import com.revshare.reporting.domain.Statement;

/**
 * Writes a statement as the JSON of SPEC §6 while its lines stream in:
 * {@code {partnerId, period, status, closedAt, currency, lines: [{model, metric, quantity, revenue,
 * amount}], adjustments: [{kind, amount}], total, amountDue, eventCount}}. Amounts are strings at
 * scale 8, amountDue at the currency's minor unit, quantities strings of digits. v2 adds
 * {@code proof {entryCount, firstSequence, lastSequence, sha256}} (SPEC §4.1) and
 * {@code settlement {dueOn, allocated, outstanding}} for a CLOSED period (null while OPEN).
 */
final class StatementJson implements ReportService.StatementVisitor {
    private final JsonGenerator g;

    StatementJson(JsonGenerator g) {
        this.g = g;
    }

    @Override
    public void begin(Statement s) throws IOException {
        g.writeStartObject();
        g.writeStringField("partnerId", s.partnerId());
        g.writeStringField("period", s.period());
        g.writeStringField("status", s.status());
        g.writeStringField("closedAt", s.closedAt() == null ? null : s.closedAt().toString());
        g.writeStringField("currency", s.currency());
        g.writeArrayFieldStart("lines");
    }

    @Override
    public void line(Statement.Line l) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", l.model());
        g.writeStringField("metric", l.metric());
        g.writeStringField("quantity", l.quantity().toPlainString());
        g.writeStringField("revenue", Money.revenue(l.revenue()).toPlainString());
        g.writeStringField("amount", ReportDtos.amount(l.amount()));
        g.writeEndObject();
    }

    @Override
    public void end(Statement s, PeriodProof.Proof proof, ReportService.Settlement settlement) throws IOException {
        g.writeEndArray();
        g.writeArrayFieldStart("adjustments");
        for (Statement.Adjustment a : s.adjustments()) {
            g.writeStartObject();
            g.writeStringField("kind", a.kind().name());
            g.writeStringField("amount", ReportDtos.amount(a.amount()));
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("total", ReportDtos.amount(s.total()));
        g.writeStringField("amountDue", s.amountDue().toPlainString());
        g.writeNumberField("eventCount", s.eventCount());
        g.writeObjectFieldStart("proof");
        g.writeNumberField("entryCount", proof.entryCount());
        if (proof.firstSequence() == null) {
            g.writeNullField("firstSequence");
            g.writeNullField("lastSequence");
        } else {
            g.writeNumberField("firstSequence", proof.firstSequence());
            g.writeNumberField("lastSequence", proof.lastSequence());
        }
        g.writeStringField("sha256", proof.sha256());
        g.writeEndObject();
        if (settlement == null) {
            g.writeNullField("settlement");
        } else {
            g.writeObjectFieldStart("settlement");
            g.writeStringField("dueOn", settlement.dueOn().toString());
            g.writeStringField("allocated", settlement.allocated().toPlainString());
            g.writeStringField("outstanding", settlement.outstanding().toPlainString());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
