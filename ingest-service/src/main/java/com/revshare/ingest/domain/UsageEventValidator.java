package com.revshare.ingest.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.regex.Pattern;

import com.revshare.ingest.domain.RecordValue.Members;
import com.revshare.ingest.domain.RecordValue.Numeral;
import com.revshare.ingest.domain.RecordValue.Text;
import com.revshare.platform.Iso4217;

/**
 * Validates one usage or control event record against SPEC §2.1 and §2.6 and gives it the first failing reason in the order
 * of SPEC §2.2. Pure: the partner directory, the transport's partner claim and the current time are
 * passed in. Quantities and amounts are checked on their source text and read as exact decimals.
 */
public class UsageEventValidator {
    public static final String SPEC_VERSION = "1.0";
    public static final String EVENT_TYPE = "revshare.usage.v1";
    /** SPEC §2.6: a control event shares the envelope, the paths and the id space of usage events. */
    public static final String CONTROL_TYPE = "revshare.control.v1";
    public static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");

    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern EVENT_ID = Pattern.compile("[\\x20-\\x7E]{1,128}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/-]{1,128}");
    private static final Pattern QUANTITY = Pattern.compile("0|[1-9][0-9]{0,15}");
    private static final Pattern AMOUNT = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,8})?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final long QUANTITY_LIMIT = 1_000_000_000_000_000L;
    private static final Pattern EVENT_COUNT = Pattern.compile("0|[1-9][0-9]{0,12}");
    private static final long EVENT_COUNT_LIMIT = 1_000_000_000_000L;
    /** SPEC §2.6: a control's window is at most 744 hours (31 days). */
    public static final Duration CONTROL_WINDOW_LIMIT = Duration.ofHours(744);
    private static final int REGION_LENGTH_LIMIT = 64;
    private static final int ID_LENGTH_LIMIT = 128;
    private static final int AMOUNT_SCALE = 8;
    /** SPEC §2.1 v2: no event time before the Unix epoch (every store downstream can hold it). */
    public static final Instant EARLIEST_TIME = Instant.EPOCH;

    /** Required fields, in the order their absence is reported. */
    private static final List<String> REQUIRED_TOP = List.of("specversion", "id", "source", "type", "time", "partnerid",
            "data");
    private static final List<String> REQUIRED_DATA = List.of("model", "metric", "quantity");
    private static final List<String> REQUIRED_REVENUE = List.of("amount", "currency");
    private static final List<String> REQUIRED_CONTROL = List.of("from", "to", "eventCount", "quantities", "revenue");

    private final int recordSizeLimitBytes;
    private final Duration futureTolerance;
    private final RecordReader reader;

    /**
     * @param recordSizeLimitBytes largest accepted record (SPEC: 64 KiB)
     * @param futureTolerance how far past the current time an event's time may lie (SPEC: 5 minutes)
     * @param reader reads a record's bytes (the wire format is an adapter's business)
     */
    public UsageEventValidator(int recordSizeLimitBytes, Duration futureTolerance, RecordReader reader) {
        this.recordSizeLimitBytes = recordSizeLimitBytes;
        this.futureTolerance = futureTolerance;
        this.reader = reader;
    }

    /**
     * Validates a record's raw bytes.
     *
     * @param raw the record value; null (a Kafka tombstone) is treated as empty
     * @param claim who the transport says sent it, or null when it says nothing (a Kafka record without key)
     */
    public Validation validate(byte[] raw, PartnerClaim claim, PartnerDirectory partners, Instant now) {
        byte[] bytes = raw == null ? new byte[0] : raw;
        String claimed = claimedPartner(claim);
        if (bytes.length > recordSizeLimitBytes) {
            // the reason is decided by size alone; the id and partner are still named when they can be read
            RecordValue readable = null;
            try {
                readable = reader.read(bytes);
            } catch (UnreadableRecordException e) {
                // nothing readable: the rejection names no id
            }
            return tooLarge("record is " + bytes.length + " bytes, the limit is " + recordSizeLimitBytes, readable,
                    claimed);
        }
        RecordValue value;
        try {
            value = reader.read(bytes);
        } catch (UnreadableRecordException e) {
            return new Validation.Invalid(RejectionReason.MALFORMED_JSON, "not valid JSON: " + e.getMessage(), claimed,
                    null);
        }
        return validateParsed(value, bytes.length, claim, partners, now);
    }

    /** Validates an already parsed record (an element of an HTTP batch) of {@code size} bytes. */
    public Validation validateParsed(RecordValue value, int size, PartnerClaim claim, PartnerDirectory partners,
            Instant now) {
        String claimed = claimedPartner(claim);
        if (size > recordSizeLimitBytes) {
            return tooLarge("event is " + size + " bytes, the limit is " + recordSizeLimitBytes, value, claimed);
        }
        if (!(value instanceof Members event)) {
            return new Validation.Invalid(RejectionReason.MALFORMED_JSON,
                    "not a JSON object but " + value.typeName(), claimed, null);
        }
        return new Check(event, claim, partners, now).run();
    }

    /**
     * The partner a rejection is keyed by when the record names none: the transport's claim, but only when it
     * is a well-formed partner id (an arbitrary Kafka key is no partner and must not become a topic key).
     */
    private static String claimedPartner(PartnerClaim claim) {
        return claim != null && PARTNER_ID.matcher(claim.partnerId()).matches() ? claim.partnerId() : null;
    }

    private static Validation tooLarge(String detail, RecordValue value, String claimed) {
        String eventId = null;
        String partnerId = claimed;
        if (value instanceof Members event) {
            eventId = readableId(event);
            String named = stringOrNull(event.get("partnerid"));
            if (named != null && PARTNER_ID.matcher(named).matches()) {
                partnerId = named;
            }
        }
        return new Validation.Invalid(RejectionReason.PAYLOAD_TOO_LARGE, detail, partnerId, eventId);
    }

    /** One validation run; holds what has been read so far so every rejection can name partner and id. */
    private final class Check {
        private final Members event;
        private final PartnerClaim claim;
        private final PartnerDirectory partners;
        private final Instant now;
        private final String partnerId;
        private final String eventId;

        Check(Members event, PartnerClaim claim, PartnerDirectory partners, Instant now) {
            this.event = event;
            this.claim = claim;
            this.partners = partners;
            this.now = now;
            // a rejection is keyed by the partner it names when that is a well-formed id, else by the claim
            String named = stringOrNull(event.get("partnerid"));
            boolean wellFormed = named != null && PARTNER_ID.matcher(named).matches();
            this.partnerId = wellFormed ? named : claimedPartner(claim);
            this.eventId = readableId(event);
        }

        Validation run() {
            boolean control = event.get("type") instanceof Text t && t.value().equals(CONTROL_TYPE);
            Members data = event.get("data") instanceof Members d ? d : null;
            Members revenue = !control && data != null && data.get("revenue") instanceof Members r ? r : null;

            String missing = firstMissing(event, REQUIRED_TOP, "");
            if (missing == null && data != null) {
                missing = firstMissing(data, control ? REQUIRED_CONTROL : REQUIRED_DATA, "data.");
            }
            if (missing == null && revenue != null) {
                missing = firstMissing(revenue, REQUIRED_REVENUE, "data.revenue.");
            }
            if (missing != null) {
                return reject(RejectionReason.MISSING_FIELD, missing + " is missing");
            }

            if (!(event.get("specversion") instanceof Text s && s.value().equals(SPEC_VERSION))) {
                return reject(RejectionReason.UNSUPPORTED_SPECVERSION,
                        "specversion must be \"" + SPEC_VERSION + "\", got " + show(event.get("specversion")));
            }
            if (!(event.get("type") instanceof Text t && (t.value().equals(EVENT_TYPE) || control))) {
                return reject(RejectionReason.UNSUPPORTED_TYPE, "type must be \"" + EVENT_TYPE + "\" or \""
                        + CONTROL_TYPE + "\", got " + show(event.get("type")));
            }

            // INVALID_FIELD, field by field in the order of SPEC §2.1's table
            // (eventId is null for a non-string id and for one over 128 characters: both invalid)
            if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
                return invalid("id", "must be a string of 1 to 128 printable ASCII characters");
            }
            String source = stringOrNull(event.get("source"));
            if (source == null || source.isEmpty()) {
                return invalid("source", "must be a non-empty string");
            }
            if (!storable(source)) {
                return invalid("source", "must not contain U+0000 or unpaired surrogates");
            }
            String timeText = stringOrNull(event.get("time"));
            Instant time = timeText == null ? null : Rfc3339.parse(timeText);
            if (time == null) {
                return invalid("time", "must be an RFC 3339 date-time with offset, got " + show(event.get("time")));
            }
            if (time.isBefore(EARLIEST_TIME)) {
                return invalid("time", "must not be before 1970-01-01T00:00:00Z, got " + show(event.get("time")));
            }
            String named = stringOrNull(event.get("partnerid"));
            if (named == null || !PARTNER_ID.matcher(named).matches()) {
                return invalid("partnerid", "must match [a-z0-9][a-z0-9-]{1,62}, got " + show(event.get("partnerid")));
            }
            if (data == null) {
                return invalid("data", "must be an object, got " + event.get("data").typeName());
            }
            Object body = control ? controlData(data, named, source, time) : usageData(data, named, source, time);
            if (body instanceof Validation.Invalid invalid) {
                return invalid;
            }

            if (claim != null && !claim.partnerId().equals(named)) {
                return reject(RejectionReason.PARTNER_MISMATCH, "partnerid \"" + named + "\" differs from the "
                        + claim.origin() + " \"" + abbreviate(claim.partnerId()) + "\"");
            }
            if (claim != null && claim.recordKey() != null && !claim.recordKey().equals(claim.partnerId())) {
                return reject(RejectionReason.PARTNER_MISMATCH, "record key \"" + abbreviate(claim.recordKey())
                        + "\" differs from the " + claim.origin() + " \"" + abbreviate(claim.partnerId()) + "\"");
            }
            if (!partners.isRegistered(named)) {
                return reject(RejectionReason.UNKNOWN_PARTNER, "partnerid \"" + named + "\" is not a registered partner");
            }
            if (time.isAfter(now.plus(futureTolerance))) {
                return reject(RejectionReason.FUTURE_EVENT, "time " + time + " is more than "
                        + futureTolerance.toMinutes() + " minutes after the ingest clock (" + now + ")");
            }
            if (body instanceof ControlEvent c) {
                if (c.to().isAfter(now.plus(futureTolerance))) {
                    return reject(RejectionReason.FUTURE_EVENT, "data.to " + c.to() + " is more than "
                            + futureTolerance.toMinutes() + " minutes after the ingest clock (" + now + ")");
                }
                return new Validation.ValidControl(c);
            }
            return new Validation.Valid((UsageEvent) body);
        }

        /** The usage event's data (SPEC §2.1), or the first INVALID_FIELD. */
        private Object usageData(Members data, String named, String source, Instant time) {
            String model = stringOrNull(data.get("model"));
            if (model == null || !MODEL.matcher(model).matches()) {
                return invalid("data.model", "must be 1 to 128 characters of [A-Za-z0-9._:/-], got " + show(data.get("model")));
            }
            String metric = stringOrNull(data.get("metric"));
            if (metric == null || !METRICS.contains(metric)) {
                return invalid("data.metric", "must be one of input_tokens, output_tokens, requests, got "
                        + show(data.get("metric")));
            }
            Long quantity = quantity(data.get("quantity"));
            if (quantity == null) {
                return invalid("data.quantity", "must be an integer from 0 to 10^15 written without sign, fraction or "
                        + "exponent, got " + show(data.get("quantity")));
            }
            UsageEvent.Revenue parsedRevenue = null;
            RecordValue revenueValue = data.get("revenue");
            if (revenueValue != null && revenueValue != RecordValue.Nil.INSTANCE) {
                if (!(revenueValue instanceof Members revenue)) {
                    return invalid("data.revenue", "must be an object, got " + revenueValue.typeName());
                }
                BigDecimal amount = amount(revenue.get("amount"));
                if (amount == null) {
                    return invalid("data.revenue.amount", "must be a decimal of at most 18 integer and 8 fraction "
                            + "digits without sign or exponent, got " + show(revenue.get("amount")));
                }
                String currency = stringOrNull(revenue.get("currency"));
                if (!isCurrency(currency)) {
                    return invalid("data.revenue.currency", "must be an upper-case ISO 4217 code, got "
                            + show(revenue.get("currency")));
                }
                parsedRevenue = new UsageEvent.Revenue(amount, currency);
            }
            RecordValue regionValue = data.get("region");
            String region = null;
            if (regionValue != null && regionValue != RecordValue.Nil.INSTANCE) {
                region = stringOrNull(regionValue);
                if (region == null) {
                    return invalid("data.region", "must be a string, got " + regionValue.typeName());
                }
                if (!storable(region)) {
                    return invalid("data.region", "must not contain U+0000 or unpaired surrogates");
                }
                if (region.codePointCount(0, region.length()) > REGION_LENGTH_LIMIT) {
                    return invalid("data.region", "must be at most " + REGION_LENGTH_LIMIT + " Unicode code points");
                }
                if (region.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
                    return invalid("data.region", "must not contain control characters (Unicode category Cc)");
                }
            }
            return new UsageEvent(named, eventId, source, time, model, metric, quantity, parsedRevenue, region);
        }

        /** The control event's data (SPEC §2.6), or the first INVALID_FIELD. */
        private Object controlData(Members data, String named, String source, Instant time) {
            Instant from = hour(data.get("from"));
            if (from == null) {
                return invalid("data.from", "must be an RFC 3339 date-time on a whole UTC hour, not before "
                        + "1970-01-01T00:00:00Z, got " + show(data.get("from")));
            }
            Instant to = hour(data.get("to"));
            if (to == null) {
                return invalid("data.to", "must be an RFC 3339 date-time on a whole UTC hour, got "
                        + show(data.get("to")));
            }
            if (!from.isBefore(to) || Duration.between(from, to).compareTo(CONTROL_WINDOW_LIMIT) > 0) {
                return invalid("data.to", "must be after data.from by at most " + CONTROL_WINDOW_LIMIT.toHours()
                        + " hours, got " + from + " to " + to);
            }
            String countText = data.get("eventCount") instanceof Numeral n ? n.text() : null;
            if (countText == null || !EVENT_COUNT.matcher(countText).matches()
                    || Long.parseLong(countText) > EVENT_COUNT_LIMIT) {
                return invalid("data.eventCount", "must be an integer from 0 to 10^12, got " + show(data.get("eventCount")));
            }
            if (!(data.get("quantities") instanceof Members quantitiesObject)) {
                return invalid("data.quantities", "must be an object of metric names to quantities, got "
                        + data.get("quantities").typeName());
            }
            Map<String, Long> quantities = new TreeMap<>();
            for (Map.Entry<String, RecordValue> e : quantitiesObject.members().entrySet()) {
                String field = "data.quantities." + abbreviate(e.getKey());
                if (!METRICS.contains(e.getKey())) {
                    return invalid(field, "is not a metric (input_tokens, output_tokens, requests)");
                }
                Long q = quantity(e.getValue());
                if (q == null) {
                    return invalid(field, "must be an integer from 0 to 10^15 written without sign, fraction or "
                            + "exponent, got " + show(e.getValue()));
                }
                quantities.put(e.getKey(), q);
            }
            if (!(data.get("revenue") instanceof Members revenueObject)) {
                return invalid("data.revenue", "must be an object of ISO 4217 codes to amounts, got "
                        + data.get("revenue").typeName());
            }
            Map<String, BigDecimal> revenue = new TreeMap<>();
            for (Map.Entry<String, RecordValue> e : revenueObject.members().entrySet()) {
                String field = "data.revenue." + abbreviate(e.getKey());
                if (!isCurrency(e.getKey())) {
                    return invalid(field, "is not an upper-case ISO 4217 code");
                }
                BigDecimal amount = amount(e.getValue());
                if (amount == null) {
                    return invalid(field, "must be a decimal of at most 18 integer and 8 fraction digits without "
                            + "sign or exponent, got " + show(e.getValue()));
                }
                revenue.put(e.getKey(), amount);
            }
            return new ControlEvent(named, eventId, source, time, from, to, Long.parseLong(countText), quantities,
                    revenue);
        }

        private Validation invalid(String field, String why) {
            return reject(RejectionReason.INVALID_FIELD, field + " " + why);
        }

        private Validation reject(RejectionReason reason, String detail) {
            return new Validation.Invalid(reason, detail, partnerId, eventId);
        }
    }

    /** A quantity (SPEC §2.1 grammar, number or string), or null when it does not match. */
    private static Long quantity(RecordValue v) {
        String text = numberText(v);
        if (text == null || !QUANTITY.matcher(text).matches()) {
            return null;
        }
        long q = Long.parseLong(text);
        return q > QUANTITY_LIMIT ? null : q;
    }

    /** An amount (SPEC §2.1 grammar, number or string) read exactly at scale 8, or null when it does not match. */
    private static BigDecimal amount(RecordValue v) {
        String text = numberText(v);
        return text == null || !AMOUNT.matcher(text).matches() ? null : new BigDecimal(text).setScale(AMOUNT_SCALE);
    }

    private static boolean isCurrency(String code) {
        return code != null && CURRENCY.matcher(code).matches() && Iso4217.isCode(code);
    }

    /** An RFC 3339 instant on a whole UTC hour, not before the epoch; else null. */
    private static Instant hour(RecordValue v) {
        String text = stringOrNull(v);
        Instant t = text == null ? null : Rfc3339.parse(text);
        if (t == null || t.isBefore(EARLIEST_TIME) || t.getNano() != 0 || t.getEpochSecond() % 3600 != 0) {
            return null;
        }
        return t;
    }

    private static String firstMissing(Members object, List<String> names, String prefix) {
        for (String name : names) {
            RecordValue v = object.get(name);
            if (v == null || v == RecordValue.Nil.INSTANCE) {
                return prefix + name;
            }
        }
        return null;
    }

    /**
     * The id a rejection names: the event's {@code id} when it is a string of at most the legal 128
     * characters (printable or not), else null. Never longer, so a rejection record stays small enough for
     * the broker however large the id a record carries.
     */
    private static String readableId(Members event) {
        String id = stringOrNull(event.get("id"));
        return id != null && id.length() <= ID_LENGTH_LIMIT ? id : null;
    }

    private static String stringOrNull(RecordValue v) {
        return v instanceof Text s ? s.value() : null;
    }

    /** The text of a JSON number or of a string (both spellings are allowed for quantity and amount). */
    private static String numberText(RecordValue v) {
        if (v instanceof Numeral n) {
            return n.text();
        }
        return stringOrNull(v);
    }

    /** False for text PostgreSQL cannot store as sent (NUL) or that is not valid Unicode (a lone surrogate). */
    private static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String show(RecordValue v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof Text s) {
            return "\"" + abbreviate(s.value()) + "\"";
        }
        if (v instanceof Numeral n) {
            return abbreviate(n.text());
        }
        return v.typeName();
    }

    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(s.length(), 64);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.length() > limit ? b + "..." : b.toString();
    }
}
