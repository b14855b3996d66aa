package com.revshare.ingest.domain;

import static com.revshare.ingest.domain.TestEvents.NOW;
import static com.revshare.ingest.domain.TestEvents.PARTNERS;
import static com.revshare.ingest.domain.TestEvents.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.platform.Iso4217;

/**
 * Fuzz and property tests of the pure validator (SPEC §2.1–§2.3): whatever the bytes, one verdict and no
 * exception; a verdict respects the grammars; several defects give the first reason of §2.2; the
 * content comparison ignores spelling. Seeded JUnit properties ({@link Seeded}): a failure prints its seed.
 */
class ValidatorPropertiesTest {
    private static final byte[] VALID = TestEvents.bytes(TestEvents.valid());
    private static final Pattern AMOUNT_SCALE_8 = Pattern.compile("(0|[1-9][0-9]{0,17})\\.[0-9]{8}");

    @Test
    void arbitraryBytesGetExactlyOneVerdictAndNeverThrow() {
        Seeded.forAll("arbitraryBytes", 1000, random -> {
            byte[] bytes = new byte[random.nextInt(301)];
            random.nextBytes(bytes);
            String key = claim(random);
            Validation v = VALIDATOR.validate(bytes, key == null ? null : PartnerClaim.recordKey(key), PARTNERS, NOW);
            assertVerdictIsConsistent(v);
        });
    }

    @Test
    void mutatedValidEventsGetExactlyOneVerdictAndNeverThrow() {
        Seeded.forAll("mutatedEvents", 1500, random -> {
            byte[] bytes = mutatedEvent(random);
            String key = claim(random);
            Validation v = VALIDATOR.validate(bytes, key == null ? null : PartnerClaim.recordKey(key), PARTNERS, NOW);
            assertVerdictIsConsistent(v);
            // deterministic: the same input gets the same verdict
            assertEquals(v, VALIDATOR.validate(bytes, key == null ? null : PartnerClaim.recordKey(key), PARTNERS, NOW));
        });
    }

    @Test
    void severalDefectsGiveTheFirstReasonOfSection2_2() {
        // every one of the 512 subsets of the nine validation reasons, then random ones up to 1000 tries
        int[] tryNumber = {0};
        Seeded.forAll("severalDefects", 1000, random -> {
            int t = tryNumber[0]++;
            severalDefects(defects(t < 512 ? t : random.nextInt(512)));
        });
    }

    private static void severalDefects(Set<RejectionReason> defects) {
        ObjectNode e = TestEvents.valid();
        String claim = "aws";
        if (defects.contains(RejectionReason.FUTURE_EVENT)) {
            e.put("time", NOW.plusSeconds(301).toString());
        }
        if (defects.contains(RejectionReason.UNKNOWN_PARTNER)) {
            e.put("partnerid", "oracle");
            claim = "oracle";
        }
        if (defects.contains(RejectionReason.PARTNER_MISMATCH)) {
            claim = "azure";
        }
        if (defects.contains(RejectionReason.INVALID_FIELD)) {
            ((ObjectNode) e.get("data")).put("quantity", "-1");
        }
        if (defects.contains(RejectionReason.UNSUPPORTED_TYPE)) {
            e.put("type", "revshare.usage.v0");
        }
        if (defects.contains(RejectionReason.UNSUPPORTED_SPECVERSION)) {
            e.put("specversion", "0.3");
        }
        if (defects.contains(RejectionReason.MISSING_FIELD)) {
            ((ObjectNode) e.get("data")).remove("model");
        }
        byte[] bytes = TestEvents.bytes(e);
        if (defects.contains(RejectionReason.MALFORMED_JSON)) {
            bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        }
        if (defects.contains(RejectionReason.PAYLOAD_TOO_LARGE)) {
            byte[] big = java.util.Arrays.copyOf(bytes, 65537);
            java.util.Arrays.fill(big, bytes.length, big.length, (byte) ' ');
            bytes = big;
        }
        Validation v = VALIDATOR.validate(bytes, PartnerClaim.recordKey(claim), PARTNERS, NOW);
        if (defects.isEmpty()) {
            assertTrue(v instanceof Validation.Valid, v::toString);
        } else {
            RejectionReason first = EnumSet.copyOf(defects).iterator().next();
            assertEquals(first, ((Validation.Invalid) v).reason(), v::toString);
        }
    }

    @Test
    void contentComparisonIgnoresKeyOrderWhitespaceNumberSpellingAndTimeOffset() {
        Seeded.forAll("respellings", 1000, ValidatorPropertiesTest::respelling);
    }

    private static void respelling(Random random) {
        long quantity = random.nextInt(4) == 0 ? 0 : Math.abs(random.nextLong()) % 1_000_000_000_000_001L;
        BigDecimal amount = BigDecimal.valueOf(Math.abs(random.nextLong()) % 100_000_000_000L, random.nextInt(9));
        int offsetMinutes = (random.nextInt(48) - 24) * 30;
        java.time.Instant time = NOW.minusSeconds(Math.abs(random.nextLong()) % 100_000_000L)
                .plusNanos(random.nextInt(3) == 0 ? random.nextInt(1_000_000_000) : 0);

        String a = event(time.toString(), Long.toString(quantity), "\"" + amount.toPlainString() + "\"", false);
        String offsetTime = time.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60))
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String trailingZeros = amount.scale() < 8 ? amount.setScale(amount.scale() + 1).toPlainString()
                : amount.toPlainString();
        String b = event(offsetTime, "\"" + quantity + "\"", trailingZeros, true);

        Validation va = VALIDATOR.validate(a.getBytes(StandardCharsets.UTF_8), null, PARTNERS, NOW);
        Validation vb = VALIDATOR.validate(b.getBytes(StandardCharsets.UTF_8), null, PARTNERS, NOW);
        assertTrue(va instanceof Validation.Valid, va::toString);
        assertTrue(vb instanceof Validation.Valid, vb::toString);
        UsageEvent ea = ((Validation.Valid) va).event();
        UsageEvent eb = ((Validation.Valid) vb).event();
        assertTrue(ea.sameContentAs(eb), a + "\n" + b);
        assertEquals(0, ea.revenue().amount().compareTo(amount));
        assertEquals(quantity, eb.quantity());
    }

    private static String event(String time, String quantity, String amount, boolean reordered) {
        if (!reordered) {
            return "{\"specversion\":\"1.0\",\"id\":\"x-1\",\"source\":\"s\",\"type\":\"revshare.usage.v1\",\"time\":\""
                    + time + "\",\"partnerid\":\"aws\",\"data\":{\"model\":\"m\",\"metric\":\"requests\",\"quantity\":"
                    + quantity + ",\"revenue\":{\"amount\":" + amount + ",\"currency\":\"EUR\"}}}";
        }
        return "\n{ \"data\" : { \"revenue\" : { \"currency\" : \"EUR\" , \"amount\" : " + amount
                + " } , \"quantity\" : " + quantity + " , \"metric\" : \"requests\" , \"model\" : \"m\" , \"region\" : null } ,"
                + "\t\"partnerid\":\"aws\", \"time\":\"" + time + "\", \"ignored\": {\"nested\": [1, 2.5e3, null]},"
                + " \"type\":\"revshare.usage.v1\", \"source\":\"other\", \"id\":\"x-1\", \"specversion\":\"1.0\" }\r\n";
    }

    private static void assertVerdictIsConsistent(Validation v) {
        assertNotNull(v);
        if (v instanceof Validation.Invalid i) {
            assertNotNull(i.reason());
            assertTrue(i.detail() != null && !i.detail().isEmpty());
            assertTrue(i.reason() != RejectionReason.DUPLICATE_CONFLICT, "the validator never decides dedupe");
        } else {
            UsageEvent e = ((Validation.Valid) v).event();
            assertTrue(e.partnerId().matches("[a-z0-9][a-z0-9-]{1,62}") && PARTNERS.isRegistered(e.partnerId()));
            assertTrue(e.eventId().matches("[\\x20-\\x7E]{1,128}"));
            assertTrue(e.quantity() >= 0 && e.quantity() <= 1_000_000_000_000_000L);
            assertTrue(e.model().matches("[A-Za-z0-9._:/-]{1,128}"));
            assertTrue(UsageEventValidator.METRICS.contains(e.metric()));
            assertTrue(!e.time().isAfter(NOW.plusSeconds(300)));
            if (e.revenue() != null) {
                assertTrue(AMOUNT_SCALE_8.matcher(e.revenue().amount().toPlainString()).matches());
                assertTrue(Iso4217.isCode(e.revenue().currency()));
            }
        }
    }

    /** "aws", "azure", "oracle" or "" (each about 17 %), or no key (30 %). */
    private static String claim(Random random) {
        if (random.nextDouble() < 0.3) {
            return null;
        }
        return List.of("aws", "azure", "oracle", "").get(random.nextInt(4));
    }

    /** The subset of the nine validation reasons given by the bits of {@code mask}. */
    private static Set<RejectionReason> defects(int mask) {
        List<RejectionReason> reasons = List.copyOf(
                EnumSet.range(RejectionReason.PAYLOAD_TOO_LARGE, RejectionReason.FUTURE_EVENT));
        Set<RejectionReason> set = EnumSet.noneOf(RejectionReason.class);
        for (int i = 0; i < reasons.size(); i++) {
            if ((mask & (1 << i)) != 0) {
                set.add(reasons.get(i));
            }
        }
        return set;
    }

    /** The valid event with 1–4 random byte-level edits: replace, insert, delete, truncate, duplicate a span. */
    private static byte[] mutatedEvent(Random r) {
        int count = 1 + r.nextInt(4);
        List<Byte> b = new ArrayList<>();
        for (byte x : VALID) {
            b.add(x);
        }
        byte[] interesting = "{}[]\",:0-9.eE+ \\u\u00e9nultrfs".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count && !b.isEmpty(); i++) {
            int at = r.nextInt(b.size());
            byte value = r.nextBoolean() ? interesting[r.nextInt(interesting.length)] : (byte) r.nextInt(256);
            switch (r.nextInt(5)) {
                case 0 -> b.set(at, value);
                case 1 -> b.add(at, value);
                case 2 -> b.remove(at);
                case 3 -> b.subList(at, b.size()).clear();
                default -> {
                    int to = Math.min(b.size(), at + r.nextInt(20));
                    b.addAll(at, new ArrayList<>(b.subList(at, to)));
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
