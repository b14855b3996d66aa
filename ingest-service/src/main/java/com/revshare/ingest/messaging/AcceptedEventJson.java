package com.revshare.ingest.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.revshare.ingest.application.OutboxRow;

/**
 * Writes the value of a record on revshare.usage.accepted (docs/events/accepted-usage-event.v1.schema.json) with
 * Jackson's streaming generator, field by field: the same bytes {@link AcceptedUsageEventMessage} gives through
 * databind (members in its order, nulls written), without reflection or an intermediate object per event. The
 * relay serialises each accepted event once, from the row the intake transaction wrote. Not thread-safe: one per
 * relay thread (it reuses its buffer).
 */
final class AcceptedEventJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final int SCALE = 8;

    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    /** The last receivedAt and its text: the rows of one intake batch share it, so it is formatted once a batch. */
    private Instant lastReceivedAt;
    private String lastReceivedAtText;

    byte[] write(OutboxRow row) {
        buffer.reset();
        try (JsonGenerator g = FACTORY.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("partnerId", row.partnerId());
            g.writeStringField("eventId", row.eventId());
            g.writeStringField("time", row.time());
            g.writeStringField("model", row.model());
            g.writeStringField("metric", row.metric());
            g.writeNumberField("quantity", row.quantity());
            g.writeFieldName("revenue");
            if (row.revenueAmount() == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                // scale 8 exactly (the schema's pattern): the stored numeric(26,8) and the validator's amount have it
                g.writeStringField("amount", row.revenueAmount().setScale(SCALE).toPlainString());
                g.writeStringField("currency", row.revenueCurrency());
                g.writeEndObject();
            }
            g.writeStringField("region", row.region());
            g.writeStringField("source", row.source());
            g.writeStringField("receivedAt", receivedAtText(row.receivedAt()));
            g.writeNumberField("ingestSequence", row.ingestSequence());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayBuilder does not fail
        }
        return buffer.toByteArray();
    }

    private String receivedAtText(Instant receivedAt) {
        if (!receivedAt.equals(lastReceivedAt)) {
            lastReceivedAtText = receivedAt.toString();
            lastReceivedAt = receivedAt;
        }
        return lastReceivedAtText;
    }
}
