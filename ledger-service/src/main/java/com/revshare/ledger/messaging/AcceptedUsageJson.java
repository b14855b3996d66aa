package com.revshare.ledger.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;

/** Reads revshare.usage.accepted values (docs/events/accepted-usage-event.v1.schema.json). */
public final class AcceptedUsageJson {
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,8})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");
    private static final long QUANTITY_LIMIT = 1_000_000_000_000_000L;

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
        if (!PARTNER_ID.matcher(partnerId).matches()) {
            throw new IllegalArgumentException("partnerId is not a partner id");
        }
        String eventId = text(n, "eventId");
        if (eventId.length() > 128) {
            throw new IllegalArgumentException("eventId longer than 128");
        }
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
        if (quantity > QUANTITY_LIMIT) {
            throw new IllegalArgumentException("quantity above 10^15");
        }
        String model = text(n, "model");
        if (!MODEL.matcher(model).matches()) {
            throw new IllegalArgumentException("model is not a model name");
        }
        String metric = text(n, "metric");
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("metric is not a metric");
        }
        Revenue revenue = null;
        JsonNode r = n.get("revenue");
        if (r != null && !r.isNull()) {
            JsonNode amount = r.get("amount");
            if (amount == null || amount.isNull()) {
                throw new IllegalArgumentException("revenue.amount missing");
            }
            String text = amount.isNumber() ? amount.decimalValue().toPlainString() : amount.asText();
            if (!AMOUNT.matcher(text).matches()) {
                throw new IllegalArgumentException("revenue.amount is not a decimal amount");
            }
            String currency = text(r, "currency");
            if (!CURRENCY.matcher(currency).matches()) {
                throw new IllegalArgumentException("revenue.currency is not a currency code");
            }
            revenue = new Revenue(new BigDecimal(text), currency);
        }
        JsonNode region = n.get("region");
        String regionText = region == null || region.isNull() ? null : region.asText();
        if (regionText != null && regionText.length() > 64) {
            throw new IllegalArgumentException("region longer than 64");
        }
        return new UsageEvent(partnerId, eventId, time, model, metric, quantity, revenue, regionText);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return v.asText();
    }
}
