package com.revshare.ingest.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ingest.application.OutboxRow;

/**
 * The relay's hand-written accepted-event JSON is byte for byte what databind wrote from the wire record before
 * (members in order, nulls written, amount at scale 8 as a plain string), for seeded random rows including
 * every JSON escape, non-BMP text, absent revenue and region.
 */
class AcceptedEventJsonTest {
    private static final long BASE_SEED = Long.getLong("revshare.seed", 0x5EED_2026L);
    private static final ObjectMapper DATABIND = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    @Test
    void writesWhatDatabindWroteFromTheWireRecord() throws Exception {
        AcceptedEventJson writer = new AcceptedEventJson();
        Random seeds = new Random(BASE_SEED);
        for (int i = 0; i < 2_000; i++) {
            long seed = seeds.nextLong();
            OutboxRow row = row(new Random(seed));
            byte[] expected = DATABIND.writeValueAsBytes(AcceptedUsageEventMessage.of(row));
            byte[] actual = writer.write(row);
            assertArrayEquals(expected, actual, () -> "seed " + seed + " (base " + BASE_SEED + "): "
                    + new String(actual, StandardCharsets.UTF_8));
        }
    }

    @Test
    void rowsSharingOrAlternatingTheirReceiptTimeEachCarryTheirOwn() throws Exception {
        // the writer formats a run of equal receivedAt once (issue 14): a change, and a change back, must show
        AcceptedEventJson writer = new AcceptedEventJson();
        Instant first = Instant.parse("2026-11-01T12:00:01.123456Z");
        Instant second = Instant.parse("2026-11-01T12:00:01Z");
        Random r = new Random(BASE_SEED);
        for (Instant receivedAt : new Instant[] {first, first, second, first, Instant.EPOCH, second, second}) {
            OutboxRow row = withReceivedAt(row(r), receivedAt);
            byte[] actual = writer.write(row);
            assertArrayEquals(DATABIND.writeValueAsBytes(AcceptedUsageEventMessage.of(row)), actual,
                    () -> new String(actual, StandardCharsets.UTF_8));
            assertEquals(receivedAt, Instant.parse(DATABIND.readTree(actual).get("receivedAt").asText()));
        }
    }

    private static OutboxRow withReceivedAt(OutboxRow r, Instant receivedAt) {
        return new OutboxRow(r.partnerId(), r.eventId(), r.ingestSequence(), r.time(), r.model(), r.metric(),
                r.quantity(), r.revenueAmount(), r.revenueCurrency(), r.region(), r.source(), receivedAt,
                r.submittedAt());
    }

    @Test
    void anEventWithoutRevenueOrRegionHasExplicitNulls() {
        OutboxRow row = new OutboxRow("aws", "e-1", 7, "2026-11-01T12:00:00Z", "llama-3.1-70b-instruct",
                "output_tokens", 125000, null, null, null, "partners/aws", Instant.parse("2026-11-01T12:00:01.123456Z"),
                Instant.EPOCH);
        assertEquals("{\"partnerId\":\"aws\",\"eventId\":\"e-1\",\"time\":\"2026-11-01T12:00:00Z\","
                + "\"model\":\"llama-3.1-70b-instruct\",\"metric\":\"output_tokens\",\"quantity\":125000,"
                + "\"revenue\":null,\"region\":null,\"source\":\"partners/aws\","
                + "\"receivedAt\":\"2026-11-01T12:00:01.123456Z\",\"ingestSequence\":7}",
                new String(new AcceptedEventJson().write(row), StandardCharsets.UTF_8));
    }

    private static OutboxRow row(Random r) {
        boolean revenue = r.nextBoolean();
        BigDecimal amount = revenue ? BigDecimal.valueOf(Math.abs(r.nextLong()) % 1_000_000_000_000L, 8) : null;
        return new OutboxRow(text(r, 1 + r.nextInt(20)), text(r, 1 + r.nextInt(128)), 1 + (r.nextLong() >>> 2),
                Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(3) == 0 ? r.nextInt(1_000_000_000) : 0)
                        .toString(),
                text(r, 1 + r.nextInt(40)), "requests", r.nextLong() >>> 14, amount, revenue ? "EUR" : null,
                r.nextBoolean() ? text(r, r.nextInt(64)) : null, text(r, 1 + r.nextInt(80)),
                Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1_000_000) * 1000L), Instant.EPOCH);
    }

    /** Printable ASCII, JSON's escapes, controls, a BMP letter and a surrogate pair. */
    private static String text(Random r, int length) {
        String[] pieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u001f", "\u007f", "é",
                "\u20ac", "\uD83D\uDE00", "-", ":", "."};
        StringBuilder b = new StringBuilder();
        while (b.length() < length) {
            b.append(pieces[r.nextInt(pieces.length)]);
        }
        return b.toString();
    }
}
