package com.revshare.reporting.it;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Builds ledger entries in the wire form of docs/events/ledger-entry.v1.schema.json, the way the
 * ledger publishes them, so reporting can be tested without the ledger.
 */
public final class EntryFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant POSTED = Instant.parse("2026-11-20T10:00:00Z");

    private EntryFixtures() {
    }

    /** A mutable entry: set what the test needs, then {@link #json()}. */
    public static final class Entry {
        final Map<String, Object> fields = new LinkedHashMap<>();

        Entry(String partnerId, long sequence, String period, String kind, String amount, String currency) {
            fields.put("entryId", UUID.nameUUIDFromBytes((partnerId + "/" + sequence).getBytes()).toString());
            fields.put("partnerId", partnerId);
            fields.put("sequence", sequence);
            fields.put("period", period);
            fields.put("kind", kind);
            fields.put("amount", amount);
            fields.put("currency", currency);
            for (String f : new String[] { "usageEventId", "model", "metric", "quantity", "revenue", "fxRate",
                    "settlementRevenue", "agreementVersion", "ruleId", "reversesEntryId", "originalPeriod", "memo",
                    "actor", "closedAt", "eventTime" }) {
                fields.put(f, null);
            }
            fields.put("postedAt", POSTED.plusMillis(sequence).toString());
        }

        public Entry set(String field, Object value) {
            if (!fields.containsKey(field)) {
                throw new IllegalArgumentException(field);
            }
            fields.put(field, value);
            return this;
        }

        /** Adds a SPEC v2 field (absent from an older ledger's entries, so absent unless set). */
        public Entry v2(String field, Object value) {
            if (!java.util.Set.of("debitAccount", "creditAccount", "paymentId", "receivedOn", "reference")
                    .contains(field)) {
                throw new IllegalArgumentException(field);
            }
            fields.put(field, value);
            return this;
        }

        public String partnerId() {
            return (String) fields.get("partnerId");
        }

        public long sequence() {
            return (Long) fields.get("sequence");
        }

        public BigDecimal amount() {
            return new BigDecimal((String) fields.get("amount"));
        }

        public Object get(String field) {
            return fields.get(field);
        }

        public String json() {
            try {
                return JSON.writeValueAsString(fields);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A USAGE entry of an event with revenue in the settlement currency. */
    public static Entry usage(String partnerId, long sequence, String period, String model, String metric,
            long quantity, String amount, String revenue, String currency) {
        Entry e = new Entry(partnerId, sequence, period, "USAGE", amount, currency);
        e.set("usageEventId", partnerId + "-ev-" + sequence).set("model", model).set("metric", metric)
                .set("quantity", quantity).set("agreementVersion", 1).set("ruleId", "rev")
                .set("eventTime", period + "-05T12:00:00Z");
        if (revenue != null) {
            e.set("revenue", Map.of("amount", revenue, "currency", currency)).set("settlementRevenue", revenue);
        }
        return e;
    }

    /** A REVERSAL of {@code original} (negated figures, same model/metric/period/event). */
    public static Entry reversal(Entry original, long sequence) {
        String partnerId = original.partnerId();
        Entry e = new Entry(partnerId, sequence, (String) original.get("period"), "REVERSAL",
                original.amount().negate().toPlainString(), (String) original.get("currency"));
        for (String f : new String[] { "usageEventId", "model", "metric", "agreementVersion", "ruleId",
                "eventTime" }) {
            e.set(f, original.get(f));
        }
        e.set("quantity", -((Long) original.get("quantity")));
        @SuppressWarnings("unchecked")
        Map<String, String> revenue = (Map<String, String>) original.get("revenue");
        if (revenue != null) {
            e.set("revenue", Map.of("amount", new BigDecimal(revenue.get("amount")).negate().toPlainString(),
                    "currency", revenue.get("currency")));
            e.set("settlementRevenue",
                    new BigDecimal((String) original.get("settlementRevenue")).negate().toPlainString());
        }
        e.set("reversesEntryId", original.get("entryId"));
        return e;
    }

    /** A money entry that is no usage (TIER_TRUE_UP, MINIMUM_TRUE_UP, CAP_ADJUSTMENT, MANUAL_ADJUSTMENT). */
    public static Entry adjustment(String partnerId, long sequence, String period, String kind, String amount,
            String currency) {
        Entry e = new Entry(partnerId, sequence, period, kind, amount, currency);
        switch (kind) {
            case "TIER_TRUE_UP" -> e.set("agreementVersion", 1).set("ruleId", "tiered");
            case "MANUAL_ADJUSTMENT" -> e.set("memo", "credit note").set("actor", "finance");
            case "MINIMUM_TRUE_UP", "CAP_ADJUSTMENT" -> e.set("agreementVersion", 1);
            default -> {
            }
        }
        return e;
    }

    /** A LATE_USAGE entry booked in {@code period} for an event of {@code originalPeriod}. */
    public static Entry lateUsage(String partnerId, long sequence, String period, String originalPeriod,
            String model, String metric, long quantity, String amount, String currency) {
        Entry e = usage(partnerId, sequence, period, model, metric, quantity, amount, null, currency);
        e.set("kind", "LATE_USAGE").set("originalPeriod", originalPeriod).set("eventTime",
                originalPeriod + "-28T23:00:00Z");
        return e;
    }

    public static Entry periodClosed(String partnerId, long sequence, String period, String currency,
            Instant closedAt) {
        return new Entry(partnerId, sequence, period, "PERIOD_CLOSED", "0.00000000", currency)
                .set("closedAt", closedAt.toString()).set("actor", "admin");
    }

    /** A v2 PAYMENT entry: cash/{currency} debited, the partner's receivable credited. */
    public static Entry payment(String partnerId, long sequence, String period, String amount, String currency,
            String paymentId, String receivedOn, String reference) {
        return new Entry(partnerId, sequence, period, "PAYMENT", amount, currency).set("actor", "finance")
                .v2("debitAccount", "cash/" + currency).v2("creditAccount", "partners/" + partnerId + "/receivable")
                .v2("paymentId", paymentId).v2("receivedOn", receivedOn).v2("reference", reference);
    }

    public static String partner(String partnerId, String name, String currency) {
        try {
            return JSON.writeValueAsString(Map.of("partnerId", partnerId, "name", name, "currency", currency,
                    "status", "ACTIVE"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
