package com.revshare.e2e;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One usage event of the boundary test and what SPEC §2.1 v2 says must become of it: booked
 * exactly as accepted, or rejected with a reason naming a field. The event's JSON is written here
 * as text, so that number spellings ({@code 1.0}, {@code 1e3}, an 18+8-digit amount as a JSON
 * number) reach ingest exactly as a partner would send them.
 */
record BoundaryCase(String label, String partnerId, String eventId, String json, Path path, Expected expected,
        boolean schemaExpressible) {

    /** How the event is sent. */
    enum Path {
        HTTP, KAFKA
    }

    /** What must become of the event. */
    sealed interface Expected {
    }

    /**
     * Accepted and booked as one USAGE entry carrying exactly these values; {@code revenue} null
     * when the event has none.
     */
    record Booked(Instant time, String model, String metric, long quantity, BigDecimal revenue, String currency)
            implements Expected {
    }

    /** Rejected with {@code reason}; {@code field} the full path the detail names, or null. */
    record Rejected(String reason, String field) implements Expected {
    }

    /** The same case, for a rule that JSON Schema cannot express (the schema states it in a description). */
    BoundaryCase notExpressible() {
        return new BoundaryCase(label, partnerId, eventId, json, path, expected, false);
    }

    /** The same case, sent by {@code other}. */
    BoundaryCase via(Path other) {
        return new BoundaryCase(label, partnerId, eventId, json, other, expected, schemaExpressible);
    }

    byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    boolean booked() {
        return expected instanceof Booked;
    }

    @Override
    public String toString() {
        return label + " [" + path + "]";
    }

    /**
     * Builds a usage event's JSON member by member; each member's value is raw JSON text (use
     * {@link #str} for a string), so invalid spellings can be written. A member set to null is left out.
     */
    static final class Event {
        private static final ObjectMapper JSON = new ObjectMapper();

        private final Map<String, String> top = new LinkedHashMap<>();
        private final Map<String, String> data = new LinkedHashMap<>();
        private String revenue;

        Event(String partnerId, String id, Instant time) {
            top.put("specversion", str("1.0"));
            top.put("id", str(id));
            top.put("source", str("partners/" + partnerId));
            top.put("type", str("revshare.usage.v1"));
            top.put("time", str(time.toString()));
            top.put("partnerid", str(partnerId));
            top.put("datacontenttype", str("application/json"));
            data.put("model", str("llama-3.1-70b-instruct"));
            data.put("metric", str("output_tokens"));
            data.put("quantity", "125000");
            data.put("region", str("us-east-1"));
        }

        /** A JSON string literal of {@code s}, escaped as JSON requires (control characters as \\uXXXX). */
        static String str(String s) {
            try {
                return JSON.writeValueAsString(s);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        Event top(String name, String rawJson) {
            put(top, name, rawJson);
            return this;
        }

        Event data(String name, String rawJson) {
            put(data, name, rawJson);
            return this;
        }

        /** {@code "revenue": {"amount": <amountJson>, "currency": <currencyJson>}}. */
        Event revenue(String amountJson, String currencyJson) {
            this.revenue = "{\"amount\":" + amountJson + ",\"currency\":" + currencyJson + "}";
            return this;
        }

        String json() {
            StringBuilder d = new StringBuilder("{");
            data.forEach((k, v) -> d.append(d.length() > 1 ? "," : "").append(str(k)).append(':').append(v));
            if (revenue != null) {
                d.append(d.length() > 1 ? "," : "").append("\"revenue\":").append(revenue);
            }
            d.append('}');
            StringBuilder b = new StringBuilder("{");
            top.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(str(k)).append(':').append(v));
            return b.append(",\"data\":").append(d).append('}').toString();
        }

        /**
         * The JSON padded with an ignored extension member {@code pad} to exactly {@code size}
         * bytes of UTF-8 (SPEC §2.1: members not listed are ignored; a record is at most 64 KiB).
         */
        String jsonOfSize(int size) {
            top.put("pad", str(""));
            int bare = json().getBytes(StandardCharsets.UTF_8).length;
            if (bare > size) {
                throw new IllegalArgumentException("the event alone is " + bare + " bytes");
            }
            top.put("pad", str("p".repeat(size - bare)));
            String padded = json();
            if (padded.getBytes(StandardCharsets.UTF_8).length != size) {
                throw new IllegalStateException("padding missed " + size);
            }
            return padded;
        }

        private static void put(Map<String, String> members, String name, String rawJson) {
            if (rawJson == null) {
                members.remove(name);
            } else {
                members.put(name, rawJson);
            }
        }
    }
}
