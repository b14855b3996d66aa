package com.revshare.chaos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Malformed and hostile records, each of which ingest must reject with a reason (and none of
 * which may stop a consumer): broken JSON, bytes that are not UTF-8, missing and invalid fields at
 * and past every bound of SPEC §2.1 (year 0 and 1969, 65 astral code points, control characters,
 * quantities and amounts one digit too long, ids of 129 characters), unknown and mismatched
 * partners, future events, records over 64 KiB and JSON nested deeper than parsers allow.
 * Every record is unique (it carries its number), so its rejection can be found by its SHA-256.
 */
final class Fuzz {
    /** Kinds that are a JSON object (can go in an HTTP batch); the others are sent alone. */
    static final int OBJECT_KINDS = 24;
    static final int ALL_KINDS = OBJECT_KINDS + 4;

    /** One hostile record: its bytes, the key to send it with over Kafka, whether it is a JSON object. */
    record Record(int number, int kind, byte[] bytes, String kafkaKey, boolean object) {
        String sha256() {
            return Fuzz.sha256(bytes);
        }
    }

    private final long seed;
    private final Workload workload;

    Fuzz(long seed, Workload workload) {
        this.seed = seed;
        this.workload = workload;
    }

    Record record(int number, boolean objectOnly) {
        SplittableRandom r = new SplittableRandom(seed * 7_919L + number);
        String partner = workload.partners.get(r.nextInt(workload.partners.size()));
        int kind = r.nextInt(objectOnly ? OBJECT_KINDS : ALL_KINDS);
        String id = "fuzz-" + number;
        String time = "2026-01-01T00:00:00Z";
        String partnerid = partner;
        String model = "\"llama-3.1-70b-instruct\"";
        String metric = "\"output_tokens\"";
        String quantity = "1000";
        String revenue = "{\"amount\":\"1.5\",\"currency\":\"USD\"}";
        String region = "\"us-east-1\"";
        String specversion = "\"1.0\"";
        String type = "\"revshare.usage.v1\"";
        String extra = "";
        String key = partner;
        String idJson = "\"" + id + "\"";
        switch (kind) {
            case 0 -> idJson = null;                                           // MISSING_FIELD id
            case 1 -> time = null;                                             // MISSING_FIELD time
            case 2 -> model = null;                                            // MISSING_FIELD data.model
            case 3 -> specversion = "\"0.3\"";                                 // UNSUPPORTED_SPECVERSION
            case 4 -> type = "\"revshare.usage.v2\"";                          // UNSUPPORTED_TYPE
            case 5 -> time = "0000-06-01T00:00:00Z";                           // INVALID_FIELD time (year 0)
            case 6 -> time = "1969-12-31T23:59:59Z";                           // INVALID_FIELD time (before 1970)
            case 7 -> time = "yesterday";                                      // INVALID_FIELD time
            case 8 -> region = "\"" + "\uD835\uDC00".repeat(65) + "\"";        // 65 code points
            case 9 -> region = "\"us\\u0007east\"";                            // control character
            case 10 -> quantity = "-1";
            case 11 -> quantity = "1e3";
            case 12 -> quantity = "1000000000000001";                          // 10^15 + 1
            case 13 -> revenue = "{\"amount\":\"1.123456789\",\"currency\":\"USD\"}"; // 9 fraction digits
            case 14 -> revenue = "{\"amount\":\"1000000000000000000\",\"currency\":\"USD\"}"; // 19 integer digits
            case 15 -> revenue = "{\"amount\":\"1.5\",\"currency\":\"usd\"}";
            case 16 -> idJson = "\"" + id + "-" + "x".repeat(129) + "\"";      // id over 128
            case 17 -> idJson = "\"" + id + "-\u00e9\"";                      // not printable ASCII
            case 18 -> partnerid = "nobody-" + number;                         // UNKNOWN_PARTNER
            case 19 -> key = workload.partners.get((workload.partners.indexOf(partner) + 1) % workload.partners.size());
            case 20 -> time = "2099-01-01T00:00:00Z";                          // FUTURE_EVENT
            case 21 -> extra = ",\"padding\":\"" + "p".repeat(70_000) + "\"";  // PAYLOAD_TOO_LARGE
            case 22 -> metric = "\"tokens\"";
            case 23 -> model = "\"llama 3\"";
            default -> {
                return new Record(number, kind, notAnObject(kind, number, r), r.nextBoolean() ? partner : null, false);
            }
        }
        if (kind == 19) {
            partnerid = partner; // the key names another partner: PARTNER_MISMATCH (over HTTP, the caller is `key`)
        }
        StringBuilder json = new StringBuilder("{");
        json.append("\"nonce\":").append(number);
        if (specversion != null) {
            json.append(",\"specversion\":").append(specversion);
        }
        if (idJson != null) {
            json.append(",\"id\":").append(idJson);
        }
        json.append(",\"source\":\"partners/").append(partner).append("\",\"type\":").append(type);
        if (time != null) {
            json.append(",\"time\":\"").append(time).append('"');
        }
        json.append(",\"partnerid\":\"").append(partnerid).append("\",\"data\":{");
        json.append("\"metric\":").append(metric).append(",\"quantity\":").append(quantity)
                .append(",\"revenue\":").append(revenue).append(",\"region\":").append(region);
        if (model != null) {
            json.append(",\"model\":").append(model);
        }
        json.append('}').append(extra).append('}');
        return new Record(number, kind, json.toString().getBytes(StandardCharsets.UTF_8), key, true);
    }

    private static byte[] notAnObject(int kind, int number, SplittableRandom r) {
        return switch (kind - OBJECT_KINDS) {
            case 0 -> ("{\"specversion\":\"1.0\",\"id\":\"fuzz-" + number + "\",\"data\":{").getBytes(StandardCharsets.UTF_8);
            case 1 -> {
                byte[] bytes = new byte[64 + r.nextInt(256)];
                r.nextBytes(bytes);
                bytes[0] = (byte) 0xC3; // a lead byte followed by garbage: not UTF-8
                bytes[1] = (byte) 0x28;
                byte[] n = Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(n, 0, bytes, 2, n.length);
                yield bytes;
            }
            case 2 -> ("[" + number + ",\"not an event\"]").getBytes(StandardCharsets.UTF_8);
            default -> ("{\"nonce\":" + number + ",\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}")
                    .getBytes(StandardCharsets.UTF_8); // nested deeper than any parser's limit
        };
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
