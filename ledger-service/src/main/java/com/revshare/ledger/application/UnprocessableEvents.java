package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.ParkedEvents;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.Bounds;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.NotFoundException;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Accepted events parked as UNPROCESSABLE (SPEC §3.6 v2): listing them beside the unrated events, the
 * admin's retry (each event read again from the record as it arrived and stored by the ordinary batch
 * path in its own transaction; one that fails again stays parked with its new cause) and their write-off.
 */
@ApplicationScoped
public class UnprocessableEvents {
    private static final Logger LOG = Logger.getLogger(UnprocessableEvents.class);

    @Inject
    Transactions tx;
    @Inject
    ParkedEvents store;
    @Inject
    Partners ledgerStore;
    @Inject
    LedgerService ledger;
    @Inject
    OutboxSignal outbox;
    @Inject
    AcceptedRecordReader reader;
    @Inject
    LedgerClock clock;
    @Inject
    ObjectMapper json;
    @Inject
    LedgerConfig config;
    @Inject
    MeterRegistry metrics;
    @Inject
    com.revshare.ledger.application.AuditRecords audit;

    /** What a retry did (SPEC §3.6: {@code {"retried", "booked", "stillUnprocessable"}}). */
    public record RetryOutcome(int retried, int booked, int stillUnprocessable) {
    }

    /** The partner's UNPROCESSABLE events as rows of GET .../unrated, at most {@code limit}. */
    public List<Map<String, Object>> views(String partnerId, int limit) {
        return tx.inNew(c -> store.list(c, partnerId, limit)).stream().map(this::view).toList();
    }

    private Map<String, Object> view(ParkedEvents.Row r) {
        JsonNode raw = null;
        try {
            raw = r.raw() == null ? null : json.readTree(r.raw());
        } catch (Exception e) {
            LOG.debugf("raw record of %s/%s unreadable", r.partnerId(), r.eventId());
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("eventId", r.eventId());
        view.put("time", field(raw, "time"));
        view.put("reason", "UNPROCESSABLE");
        view.put("model", field(raw, "model"));
        view.put("metric", field(raw, "metric"));
        JsonNode q = raw == null ? null : raw.get("quantity");
        view.put("quantity", q == null || q.isNull() ? null : q.isIntegralNumber() && q.canConvertToLong()
                ? (Object) q.asLong() : q.isValueNode() ? q.asText() : q.toString());
        view.put("detail", r.detail());
        return view;
    }

    private static String field(JsonNode raw, String name) {
        JsonNode v = raw == null ? null : raw.get(name);
        return v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString();
    }

    /**
     * Processes the partner's UNPROCESSABLE events again, oldest first, each in its own transaction: read
     * from the record as it arrived, then booked (or parked with a rating reason) exactly as a new event.
     */
    public RetryOutcome retry(String partnerId, String actor) {
        List<ParkedEvents.Row> rows = tx.inNew(c -> {
            if (ledgerStore.partner(c, partnerId).isEmpty()) {
                throw new NotFoundException("unknown partner " + partnerId);
            }
            return store.list(c, partnerId, config.api().retryLimit());
        });
        int booked = 0;
        for (ParkedEvents.Row row : rows) {
            AcceptedRecord read = reader.read(row.raw());
            String cause;
            if (read instanceof AcceptedRecord.Usable usable && usable.event().partnerId().equals(partnerId)
                    && usable.event().eventId().equals(row.eventId())) {
                try {
                    tx.inNew(c -> {
                        store.remove(c, partnerId, row.eventId());
                        return ledger.recordBatch(c, List.of(new AcceptedRecord.Usable(usable.event(),
                                row.ingestSequence(), row.raw())), List.of(), clock.now());
                    });
                    booked++;
                    continue;
                } catch (RuntimeException e) {
                    cause = causeOf(e);
                    LOG.warnf(e, "retry of UNPROCESSABLE event %s/%s failed again", partnerId, row.eventId());
                }
            } else {
                cause = read instanceof AcceptedRecord.Unprocessable u ? u.detail()
                        : "the record names no readable partner and event id";
            }
            tx.inNew(c -> {
                store.updateDetail(c, partnerId, row.eventId(), cause);
                return null;
            });
        }
        RetryOutcome outcome = new RetryOutcome(rows.size(), booked, rows.size() - booked);
        if (!rows.isEmpty()) {
            tx.inNew(c -> {
                audit.record(c, clock.now(), actor, "UNPROCESSABLE_RETRIED", partnerId, partnerId, null,
                        Jsons.write(json, Map.of("unprocessable", outcome.retried())),
                        Jsons.write(json, Map.of("retried", outcome.retried(), "booked", outcome.booked(),
                                "stillUnprocessable", outcome.stillUnprocessable())));
                return null;
            });
            outbox.committed();
            metrics.counter("revshare_ledger_unprocessable_retried_total", "outcome", "booked").increment(booked);
            metrics.counter("revshare_ledger_unprocessable_retried_total", "outcome", "still")
                    .increment(outcome.stillUnprocessable());
        }
        return outcome;
    }

    /** Writes off a parked UNPROCESSABLE event (in the caller's transaction, under the partner's lock). */
    static LedgerEvent.UsageWrittenOff writeOff(Connection c, ParkedEvents store,
            com.revshare.ledger.application.AuditRecords audit, ObjectMapper json, String partnerId, String eventId, String memo, String actor, Instant now)
            throws SQLException {
        Bounds.memo("memo", memo);
        store.markWrittenOff(c, partnerId, eventId);
        store.insertWriteOff(c, partnerId, eventId, memo, actor, now);
        audit.record(c, now, actor, "EVENT_WRITTEN_OFF", partnerId, eventId, memo,
                Jsons.write(json, Map.of("eventId", eventId, "status", "UNRATED", "reason", "UNPROCESSABLE")),
                Jsons.write(json, Map.of("eventId", eventId, "status", "WRITTEN_OFF")));
        return new LedgerEvent.UsageWrittenOff(eventId, memo, actor, now);
    }

    /** A cause for the detail field: the innermost message, never a stack trace. */
    public static String causeOf(Throwable e) {
        Throwable t = e;
        String message = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return "processing failed: " + (message == null ? "an internal error without a message" : message);
    }
}
