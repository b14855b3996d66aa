package com.revshare.ledger.messaging;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
 *
 * <p>The value is read once, token by token, with Jackson's streaming parser (issue 14: binding it with
 * databind was a tenth of the ledger's CPU), into an {@link AcceptedUsageMessage}. It reads exactly as
 * the databind binding it replaced did (AcceptedUsageJsonTest pins each case). Each field is read
 * leniently — a value of the wrong JSON type reads as null (or, for an amount, as text that is no
 * amount) instead of failing the whole record — so that the partner and event ids are still read and the
 * event is parked with the reason of its first wrong field, as the contract's checks below order them. A
 * JSON null reads as absent for every field. Members the ledger does not interpret ({@code source},
 * {@code receivedAt}, anything else) are skipped; the record value is kept as it arrived in
 * {@code raw}. A repeated member of the event counts as its last occurrence; in the revenue object a
 * repeated {@code amount} or {@code currency} after both were seen refuses the record as "not a JSON
 * object" (what the databind binding did: it had built the revenue by then). Nothing after the event's
 * closing brace is read. Amounts come from the JSON text as a {@link BigDecimal}, never through a double.
 */
public final class AcceptedUsageJson {
    private static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");
    private static final int PARTNER_ID_LENGTH_LIMIT = 63;
    private static final int EVENT_ID_LENGTH_LIMIT = 128;
    private static final int MODEL_LENGTH_LIMIT = 128;
    /** Integer digits of an amount, and fraction digits (SPEC §2.1). */
    private static final int AMOUNT_INTEGER_DIGITS = 18;
    private static final int AMOUNT_FRACTION_DIGITS = 8;
    /** Digits of a quantity given as a string (SPEC §2.1: {@code 0|[1-9][0-9]{0,15}}). */
    private static final int QUANTITY_TEXT_DIGITS = 16;
    private static final long QUANTITY_LIMIT = 1_000_000_000_000_000L;
    private static final int REGION_CODE_POINTS_LIMIT = 64;
    /** SPEC §2.1: no event time before the epoch. */
    private static final Instant TIME_MIN = Instant.EPOCH;
    /** Beyond any clock ingest could accept (now + 5 min), and well inside PostgreSQL's timestamptz range. */
    private static final Instant TIME_MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** A region that is present but no string. */
    private static final Object NOT_A_STRING = new Object();

    private AcceptedUsageJson() {
    }

    /** One accepted-usage message as read from JSON; {@code raw} is the record value as it arrived. */
    record AcceptedUsageMessage(String partnerId, String eventId, Long ingestSequence, String time, Long quantity,
            String model, String metric, RevenueMessage revenue, Object region, String raw) {
    }

    /** The revenue object: its amount as exact decimal text, its currency. */
    record RevenueMessage(String amount, String currency) {
    }

    /** A revenue object that repeats its amount or currency after both were read (see the class comment). */
    private static final class RepeatedRevenueMember extends RuntimeException {
        RepeatedRevenueMember() {
            super(null, null, false, false);
        }
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
        if (value == null) {
            return new AcceptedRecord.Unreadable("not a JSON object");
        }
        AcceptedUsageMessage m;
        try (JsonParser p = json.getFactory().createParser(value)) {
            JsonToken root = p.nextToken();
            if (root == null || root == JsonToken.VALUE_NULL) {
                return new AcceptedRecord.Unreadable("not a JSON object");
            }
            if (root != JsonToken.START_OBJECT) {
                // valid JSON that is no object (a syntax error further on still makes it "not JSON", as a
                // reader of the whole value would say)
                return new AcceptedRecord.Unreadable(wellFormed(json, value) ? "not a JSON object" : "not JSON");
            }
            m = message(p, value);
        } catch (RepeatedRevenueMember e) {
            return new AcceptedRecord.Unreadable(wellFormed(json, value) ? "not a JSON object" : "not JSON");
        } catch (IOException | RuntimeException e) {
            return new AcceptedRecord.Unreadable("not JSON");
        }
        if (!isPartnerId(m.partnerId())) {
            return new AcceptedRecord.Unreadable("partnerId missing or not a partner id");
        }
        if (!isEventId(m.eventId())) {
            return new AcceptedRecord.Unreadable("eventId missing or not 1..128 printable ASCII characters");
        }
        try {
            return new AcceptedRecord.Usable(event(m), m.ingestSequence(), m.raw());
        } catch (IllegalArgumentException e) {
            return new AcceptedRecord.Unprocessable(m.partnerId(), m.eventId(), m.ingestSequence(),
                    storableTime(m.time()), m.raw(), e.getMessage());
        }
    }

    /** The members of the event object, the parser on its START_OBJECT; ends on its END_OBJECT. */
    private static AcceptedUsageMessage message(JsonParser p, String raw) throws IOException {
        String partnerId = null;
        String eventId = null;
        Long ingestSequence = null;
        String time = null;
        Long quantity = null;
        String model = null;
        String metric = null;
        RevenueMessage revenue = null;
        Object region = null;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            switch (name) {
                case "partnerId" -> partnerId = isNull ? null : stringOnly(p);
                case "eventId" -> eventId = isNull ? null : stringOnly(p);
                case "ingestSequence" -> ingestSequence = isNull ? null : positiveLong(p);
                case "time" -> time = isNull ? null : stringOnly(p);
                case "quantity" -> quantity = isNull ? null : quantity(p);
                case "model" -> model = isNull ? null : stringOnly(p);
                case "metric" -> metric = isNull ? null : stringOnly(p);
                case "revenue" -> revenue = isNull ? null : revenue(p);
                case "region" -> region = isNull ? null : region(p);
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + p.currentToken());
        }
        return new AcceptedUsageMessage(partnerId, eventId, ingestSequence, time, quantity, model, metric, revenue,
                region, raw);
    }

    /** The checks in the order whose first failure is the reason an event is parked. */
    private static UsageEvent event(AcceptedUsageMessage m) {
        Instant time = time(m.time());
        if (time.isBefore(TIME_MIN) || time.isAfter(TIME_MAX)) {
            throw new IllegalArgumentException("time " + time + " is outside 1970-01-01T00:00:00Z .. 9999-12-31");
        }
        if (m.quantity() == null) {
            throw new IllegalArgumentException("quantity is not a non-negative integer");
        }
        if (m.quantity() > QUANTITY_LIMIT) {
            throw new IllegalArgumentException("quantity above 10^15");
        }
        String model = present(m.model(), "model");
        if (!isModel(model)) {
            throw new IllegalArgumentException("model is not a model name");
        }
        String metric = present(m.metric(), "metric");
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("metric is not a metric");
        }
        Revenue revenue = null;
        RevenueMessage r = m.revenue();
        if (r != null) {
            if (r.amount() == null) {
                throw new IllegalArgumentException("revenue.amount missing");
            }
            if (!isAmount(r.amount())) {
                throw new IllegalArgumentException("revenue.amount is not a decimal amount");
            }
            String currency = present(r.currency(), "currency");
            if (!isCurrency(currency)) {
                throw new IllegalArgumentException("revenue.currency is not a currency code");
            }
            revenue = new Revenue(new BigDecimal(r.amount()), currency);
        }
        String region = null;
        if (m.region() != null) {
            if (!(m.region() instanceof String text)) {
                throw new IllegalArgumentException("region is not a string");
            }
            // code points, as ingest counts them (an astral letter is one character, two UTF-16 units)
            if (text.codePointCount(0, text.length()) > REGION_CODE_POINTS_LIMIT) {
                throw new IllegalArgumentException("region longer than 64 code points");
            }
            if (text.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
                throw new IllegalArgumentException("region contains a control character");
            }
            region = text;
        }
        return new UsageEvent(m.partnerId(), m.eventId(), time, model, metric, m.quantity(), revenue, region);
    }

    private static Instant time(String text) {
        try {
            return UtcInstants.parse(present(text, "time"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("time is not an RFC 3339 UTC instant");
        }
    }

    /** The event time when it is readable and storable, for the period an UNPROCESSABLE event holds up; else null. */
    private static Instant storableTime(String text) {
        if (text == null) {
            return null;
        }
        try {
            Instant t = UtcInstants.parse(text);
            return t.isBefore(TIME_MIN) || t.isAfter(TIME_MAX) ? null : t;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String present(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return text;
    }

    /** Only to name a refused bind: does the whole value read as JSON? */
    private static boolean wellFormed(ObjectMapper json, String value) {
        try {
            json.readTree(value);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    // The contract's field shapes (SPEC §2.1, the accepted-usage schema), checked character by character.

    /** {@code [a-z0-9][a-z0-9-]{1,62}} */
    static boolean isPartnerId(String s) {
        if (s == null || s.length() < 2 || s.length() > PARTNER_ID_LENGTH_LIMIT || !lowerOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!lowerOrDigit(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** 1..128 printable ASCII characters (0x20–0x7E). */
    static boolean isEventId(String s) {
        if (s == null || s.isEmpty() || s.length() > EVENT_ID_LENGTH_LIMIT) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** 1..128 of {@code [A-Za-z0-9._:/-]}. */
    static boolean isModel(String s) {
        if (s.isEmpty() || s.length() > MODEL_LENGTH_LIMIT) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!lowerOrDigit(c) && !(c >= 'A' && c <= 'Z') && ".-_:/".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code (0|[1-9][0-9]{0,17})(\.[0-9]{1,8})?}: no sign, no exponent. */
    static boolean isAmount(String s) {
        int dot = s.indexOf('.');
        String integer = dot < 0 ? s : s.substring(0, dot);
        if (!isNatural(integer, AMOUNT_INTEGER_DIGITS)) {
            return false;
        }
        if (dot < 0) {
            return true;
        }
        String fraction = s.substring(dot + 1);
        return !fraction.isEmpty() && fraction.length() <= AMOUNT_FRACTION_DIGITS && digits(fraction);
    }

    /** {@code [A-Z]{3}} */
    static boolean isCurrency(String s) {
        return s.length() == 3 && s.chars().allMatch(c -> c >= 'A' && c <= 'Z');
    }

    /** {@code 0|[1-9][0-9]{0,n-1}} */
    static boolean isNatural(String s, int digitsLimit) {
        return !s.isEmpty() && s.length() <= digitsLimit && digits(s) && (s.length() == 1 || s.charAt(0) != '0');
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    // Lenient readers: each consumes its whole value (the parser on its first token) and never fails the record.

    /** A JSON string; any other value reads as null (read as missing). */
    private static String stringOnly(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    /** An integer that fits a long and is > 0; anything else reads as null (no sequence). */
    private static Long positiveLong(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                && p.getLongValue() > 0) {
            return p.getLongValue();
        }
        p.skipChildren();
        return null;
    }

    /**
     * A quantity (SPEC §2.1): a JSON integer ≥ 0 that fits a long, or a string {@code 0|[1-9][0-9]{0,15}};
     * anything else reads as null (not a non-negative integer). The 10^15 bound is checked afterwards.
     */
    private static Long quantity(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long v = p.getLongValue();
            return v >= 0 ? v : null;
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            return isNatural(s, QUANTITY_TEXT_DIGITS) ? Long.valueOf(Long.parseLong(s)) : null;
        }
        p.skipChildren();
        return null;
    }

    /**
     * An amount's decimal text: a string as it is, a JSON number as its exact decimal value in plain
     * notation (from the number's text, never a double); any other value reads as text that is no amount.
     */
    private static String decimalText(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue().toPlainString();
        }
        p.skipChildren();
        return "";
    }

    /**
     * The revenue object; any other value reads as a revenue without amount. Its last amount and currency
     * count, except that either repeated once both were read refuses the record ({@link RepeatedRevenueMember}).
     */
    private static RevenueMessage revenue(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return new RevenueMessage(null, null);
        }
        String amount = null;
        String currency = null;
        boolean amountSeen = false;
        boolean currencySeen = false;
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            boolean isNull = t == JsonToken.VALUE_NULL;
            switch (name) {
                case "amount" -> {
                    if (amountSeen && currencySeen) {
                        throw new RepeatedRevenueMember();
                    }
                    amount = isNull ? null : decimalText(p);
                    amountSeen = true;
                }
                case "currency" -> {
                    if (amountSeen && currencySeen) {
                        throw new RepeatedRevenueMember();
                    }
                    currency = isNull ? null : stringOnly(p);
                    currencySeen = true;
                }
                default -> p.skipChildren();
            }
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + p.currentToken());
        }
        return new RevenueMessage(amount, currency);
    }

    /** The region: a string as it is; any other value as a marker that is no string. */
    private static Object region(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return NOT_A_STRING;
    }
}
