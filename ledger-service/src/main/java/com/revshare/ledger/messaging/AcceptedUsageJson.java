package com.revshare.ledger.messaging;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AcceptedRecord;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;

/**
 * Reads revshare.usage.accepted values (docs/events/accepted-usage-event.v1.schema.json) into an
 * {@link AcceptedRecord}: a usable event; an event the ledger cannot book as it stands, which is parked
 * as UNPROCESSABLE under its (partner, event id) with the reason; or, when not even those can be
 * read, an unreadable record. Nothing is thrown away: every field the store could not hold is a
 * reason to park, never to skip (SPEC §2.1 "accepted means bookable", §3.6).
 */
public final class AcceptedUsageJson {
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern EVENT_ID = Pattern.compile("[\\x20-\\x7E]{1,128}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,8})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern QUANTITY = Pattern.compile("0|[1-9][0-9]{0,15}");
    private static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");
    private static final long QUANTITY_LIMIT = 1_000_000_000_000_000L;
    private static final int REGION_CODE_POINTS_LIMIT = 64;
    /** SPEC §2.1: no event time before the epoch. */
    private static final Instant TIME_MIN = Instant.EPOCH;
    /** Beyond any clock ingest could accept (now + 5 min), and well inside PostgreSQL's timestamptz range. */
    private static final Instant TIME_MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private AcceptedUsageJson() {
    }

    /** The event, or an IllegalArgumentException naming what is wrong. */
    public static UsageEvent parse(ObjectMapper json, String value) {
        AcceptedRecord r = read(json, value);
        if (r instanceof AcceptedRecord.Usable u) {
            return u.event();
        }
        throw new IllegalArgumentException(r instanceof AcceptedRecord.Unprocessable p ? p.detail()
                : ((AcceptedRecord.Unreadable) r).detail());
    }

    /** Classifies one record value; never throws. */
    public static AcceptedRecord read(ObjectMapper json, String value) {
        JsonNode n;
        try {
            n = value == null ? null : json.readTree(value);
        } catch (Exception e) {
            return new AcceptedRecord.Unreadable("not JSON");
        }
        if (n == null || !n.isObject()) {
            return new AcceptedRecord.Unreadable("not a JSON object");
        }
        JsonNode p = n.get("partnerId");
        if (p == null || !p.isTextual() || !PARTNER_ID.matcher(p.asText()).matches()) {
            return new AcceptedRecord.Unreadable("partnerId missing or not a partner id");
        }
        JsonNode id = n.get("eventId");
        if (id == null || !id.isTextual() || !EVENT_ID.matcher(id.asText()).matches()) {
            return new AcceptedRecord.Unreadable("eventId missing or not 1..128 printable ASCII characters");
        }
        String partnerId = p.asText();
        String eventId = id.asText();
        Long ingestSequence = ingestSequence(n.get("ingestSequence"));
        try {
            return new AcceptedRecord.Usable(event(n, partnerId, eventId), ingestSequence, value);
        } catch (IllegalArgumentException e) {
            return new AcceptedRecord.Unprocessable(partnerId, eventId, ingestSequence, storableTime(n), value,
                    e.getMessage());
        }
    }

    private static UsageEvent event(JsonNode n, String partnerId, String eventId) {
        Instant time;
        try {
            time = Instant.parse(text(n, "time"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("time is not an RFC 3339 UTC instant");
        }
        if (time.isBefore(TIME_MIN) || time.isAfter(TIME_MAX)) {
            throw new IllegalArgumentException("time " + time + " is outside 1970-01-01T00:00:00Z .. 9999-12-31");
        }
        JsonNode q = n.get("quantity");
        long quantity;
        if (q != null && q.isIntegralNumber() && q.canConvertToLong() && q.asLong() >= 0) {
            quantity = q.asLong();
        } else if (q != null && q.isTextual() && QUANTITY.matcher(q.asText()).matches()) {
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
        if (regionText != null) {
            // code points, as ingest counts them (an astral letter is one character, two UTF-16 units)
            if (regionText.codePointCount(0, regionText.length()) > REGION_CODE_POINTS_LIMIT) {
                throw new IllegalArgumentException("region longer than 64 code points");
            }
            if (regionText.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                throw new IllegalArgumentException("region contains a control character");
            }
        }
        return new UsageEvent(partnerId, eventId, time, model, metric, quantity, revenue, regionText);
    }

    /** The event time when it is readable and storable, for the period an UNPROCESSABLE event holds up; else null. */
    private static Instant storableTime(JsonNode n) {
        try {
            Instant t = Instant.parse(n.get("time").asText());
            return t.isBefore(TIME_MIN) || t.isAfter(TIME_MAX) ? null : t;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long ingestSequence(JsonNode s) {
        return s != null && s.isIntegralNumber() && s.canConvertToLong() && s.asLong() > 0 ? s.asLong() : null;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return v.asText();
    }
}
