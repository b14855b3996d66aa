package com.revshare.ledger.messaging;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;

/** Reads revshare.usage.accepted values (docs/events/accepted-usage-event.v1.schema.json). */
public final class AcceptedUsageJson {
    private AcceptedUsageJson() {
    }

    /** The event, or an IllegalArgumentException naming what is wrong. */
    public static UsageEvent parse(ObjectMapper json, String value) {
        JsonNode n;
        try {
            n = json.readTree(value);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String partnerId = text(n, "partnerId");
        String eventId = text(n, "eventId");
        Instant time;
        try {
            time = Instant.parse(text(n, "time"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("time is not an instant");
        }
        JsonNode q = n.get("quantity");
        long quantity;
        if (q != null && q.isIntegralNumber() && q.canConvertToLong() && q.asLong() >= 0) {
            quantity = q.asLong();
        } else if (q != null && q.isTextual() && q.asText().matches("0|[1-9][0-9]{0,15}")) {
            quantity = Long.parseLong(q.asText());
        } else {
            throw new IllegalArgumentException("quantity is not a non-negative integer");
        }
        Revenue revenue = null;
        JsonNode r = n.get("revenue");
        if (r != null && !r.isNull()) {
            JsonNode amount = r.get("amount");
            if (amount == null || amount.isNull()) {
                throw new IllegalArgumentException("revenue.amount missing");
            }
            BigDecimal a = amount.isNumber() ? amount.decimalValue() : new BigDecimal(amount.asText());
            revenue = new Revenue(a, text(r, "currency"));
        }
        JsonNode region = n.get("region");
        return new UsageEvent(partnerId, eventId, time, text(n, "model"), text(n, "metric"), quantity, revenue,
                region == null || region.isNull() ? null : region.asText());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return v.asText();
    }
}
