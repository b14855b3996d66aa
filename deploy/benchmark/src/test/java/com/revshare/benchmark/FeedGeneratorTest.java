package com.revshare.benchmark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The generated feed is valid SPEC §2 input, skewed and seasoned as promised, and the money
 * {@link Expected} sums while generating equals a second computation from the JSON alone
 * (rates written out here, amounts parsed from the bytes), duplicates counted once.
 */
class FeedGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-26T22:00:00Z");
    private static final YearMonth CLOSED = YearMonth.of(2026, 10);
    private static final List<String> IDS = Workload.PARTNERS.stream().map(Workload.Partner::baseId).toList();
    private static final Set<String> METRICS = Set.of("input_tokens", "output_tokens", "requests");

    @Test
    void everyRecordIsAValidUsageEventAndTheMixIsAsAdvertised() throws Exception {
        Expected expected = new Expected();
        FeedGenerator g = new FeedGenerator(IDS, "t1", 7, Clock.fixed(NOW, ZoneOffset.UTC), CLOSED, 0.015, 0.005, 0.03, expected);
        int n = 60_000;
        Map<String, Integer> perPartner = new HashMap<>();
        Map<String, byte[]> firstById = new HashMap<>();
        int duplicates = 0;
        int late = 0;
        int eur = 0;
        int numberAmounts = 0;
        for (int i = 0; i < n; i++) {
            FeedGenerator.Event e = g.next('A');
            JsonNode ev = JSON.readTree(e.value());
            String id = ev.path("id").asText();
            assertTrue(e.value().length < 64 * 1024);
            assertEquals("1.0", ev.path("specversion").asText());
            assertEquals("revshare.usage.v1", ev.path("type").asText());
            assertTrue(id.length() <= 128 && id.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), id);
            assertEquals(e.key(), ev.path("partnerid").asText());
            assertTrue(e.key().matches("[a-z0-9][a-z0-9-]{1,62}"));
            Instant time = OffsetDateTime.parse(ev.path("time").asText()).toInstant();
            assertFalse(time.isAfter(NOW), "no event from the future");
            JsonNode data = ev.path("data");
            assertTrue(data.path("model").asText().matches("[A-Za-z0-9._:/-]{1,128}"));
            assertTrue(METRICS.contains(data.path("metric").asText()));
            assertTrue(data.path("quantity").asText().matches("0|[1-9][0-9]{0,15}"));
            if (data.has("revenue")) {
                JsonNode amount = data.path("revenue").path("amount");
                String text = amount.isNumber() ? new String(e.value()).replaceAll(".*\"amount\":([0-9.]+).*", "$1") : amount.asText();
                assertTrue(text.matches("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,8})?"), text);
                numberAmounts += amount.isNumber() ? 1 : 0;
                eur += "EUR".equals(data.path("revenue").path("currency").asText()) ? 1 : 0;
            }
            if (e.duplicate()) {
                duplicates++;
                assertArrayEquals(firstById.get(e.key() + "/" + id), e.value(), "a duplicate is a byte-identical re-delivery");
            } else {
                assertFalse(firstById.containsKey(e.key() + "/" + id), "unique ids");
                firstById.put(e.key() + "/" + id, e.value());
                perPartner.merge(e.key(), 1, Integer::sum);
                if (e.late()) {
                    late++;
                    assertEquals(CLOSED, YearMonth.from(time.atZone(ZoneOffset.UTC)));
                } else {
                    assertEquals(YearMonth.of(2026, 11), YearMonth.from(time.atZone(ZoneOffset.UTC)));
                }
            }
        }
        int unique = n - duplicates;
        double awsShare = perPartner.get("aws") / (double) unique;
        assertTrue(awsShare > 0.38 && awsShare < 0.42, "one partner ~40%: " + awsShare);
        assertTrue(perPartner.get("snowflake") / (double) unique < 0.05);
        assertTrue(duplicates > n * 0.01 && duplicates < n * 0.02, "1-2% duplicates: " + duplicates);
        assertTrue(late > unique * 0.003 && late < unique * 0.007, "~0.5% late: " + late);
        assertTrue(eur > 0 && numberAmounts > 0);
        assertEquals(unique, expected.uniqueEvents());
        assertEquals(duplicates, expected.duplicates());
    }

    @Test
    void expectedMoneyEqualsAnIndependentSumOverTheUniqueRecords() throws Exception {
        Expected expected = new Expected();
        FeedGenerator g = new FeedGenerator(IDS, "t2", 11, Clock.fixed(NOW, ZoneOffset.UTC), CLOSED, 0.02, 0.01, 0.05, expected);
        Map<String, BigDecimal> usage = new TreeMap<>();
        Map<String, BigDecimal> lateTotals = new TreeMap<>();
        Map<String, Long> outputTokens = new TreeMap<>();
        for (int i = 0; i < 30_000; i++) {
            FeedGenerator.Event e = g.next('B');
            if (e.duplicate()) {
                continue;
            }
            JsonNode ev = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(e.value());
            BigDecimal share = independentShare(ev);
            (e.late() ? lateTotals : usage).merge(e.key(), share, BigDecimal::add);
            if (!e.late() && "output_tokens".equals(ev.path("data").path("metric").asText())) {
                outputTokens.merge(e.key(), Long.parseLong(ev.path("data").path("quantity").asText()), Long::sum);
            }
        }
        for (String id : IDS) {
            Expected.Totals current = expected.totals(id, YearMonth.of(2026, 11));
            assertEquals(0, usage.get(id).compareTo(current.usageAmount), id + " usage");
            assertEquals(0, lateTotals.getOrDefault(id, BigDecimal.ZERO).compareTo(current.lateAmount), id + " late");
            assertEquals(outputTokens.get(id), current.quantities.get("output_tokens"), id + " output tokens");
        }
    }

    /** The demo agreements written out by hand: rates, per-unit prices and the EUR rate formula. */
    private static BigDecimal independentShare(JsonNode ev) {
        String partner = ev.path("partnerid").asText();
        JsonNode d = ev.path("data");
        String model = d.path("model").asText();
        String metric = d.path("metric").asText();
        BigDecimal quantity = new BigDecimal(d.path("quantity").asText());
        BigDecimal revenue = null;
        if (d.has("revenue")) {
            JsonNode a = d.path("revenue").path("amount");
            revenue = a.isNumber() ? a.decimalValue() : new BigDecimal(a.asText());
            if ("EUR".equals(d.path("revenue").path("currency").asText())) {
                LocalDate day = OffsetDateTime.parse(ev.path("time").asText()).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
                revenue = revenue.multiply(new BigDecimal("1.08").add(new BigDecimal(day.getDayOfYear() % 50).movePointLeft(4)));
            }
        }
        BigDecimal exact = switch (partner) {
            case "aws" -> revenue.multiply(new BigDecimal("0.15"));
            case "azure" -> model.startsWith("llama-3.1-405b") && "output_tokens".equals(metric)
                    ? quantity.multiply(new BigDecimal("0.30")).movePointLeft(6) : revenue.multiply(new BigDecimal("0.12"));
            case "google-cloud" -> revenue.multiply(new BigDecimal("0.14"));
            case "databricks" -> revenue.multiply(new BigDecimal("0.13"));
            case "groq" -> switch (metric) {
                case "output_tokens" -> quantity.multiply(new BigDecimal("0.10")).movePointLeft(6);
                case "input_tokens" -> quantity.multiply(new BigDecimal("0.04")).movePointLeft(6);
                default -> quantity.multiply(new BigDecimal("0.0001"));
            };
            case "nvidia" -> revenue.multiply(new BigDecimal("0.18"));
            case "dell" -> revenue.multiply(new BigDecimal("0.10"));
            case "snowflake" -> revenue.multiply(new BigDecimal("0.16"));
            default -> throw new AssertionError(partner);
        };
        return exact.setScale(8, RoundingMode.HALF_EVEN);
    }

    @Test
    void shareRoundsEachEntryHalfEvenToEightDigits() {
        Workload.Partner half = new Workload.Partner("x", "X", 1, List.of(Workload.Rule.percent("r", "*", "*", "0.5")), 1,
                BigDecimal.ONE);
        LocalDate day = LocalDate.of(2026, 11, 1);
        assertEquals("0.00000000", Workload.share(half, "m", "requests", 1, new BigDecimal("0.00000001"), "USD", day).toPlainString());
        assertEquals("0.00000002", Workload.share(half, "m", "requests", 1, new BigDecimal("0.00000003"), "USD", day).toPlainString());
        Workload.Partner aws = Workload.PARTNERS.get(0);
        assertEquals("0.28125000", Workload.share(aws, "llama-3.1-70b-instruct", "output_tokens", 125_000,
                new BigDecimal("1.875"), "USD", day).toPlainString());
        Workload.Partner azure = Workload.PARTNERS.get(1);
        assertEquals("0.03750000", Workload.share(azure, "llama-3.1-405b-instruct", "output_tokens", 125_000,
                new BigDecimal("9.99"), "USD", day).toPlainString());
        assertEquals("1.19880000", Workload.share(azure, "llama-3.1-405b-instruct", "input_tokens", 125_000,
                new BigDecimal("9.99"), "USD", day).toPlainString());
        // 2026-11-01 is day 305: 1.08 + 5/10000 = 1.0805; 10 EUR x 1.0805 x 0.15 = 1.620750
        assertEquals("1.62075000", Workload.share(aws, "m", "requests", 1, new BigDecimal("10"), "EUR", day).toPlainString());
        Workload.Partner groq = Workload.PARTNERS.get(4);
        assertNotNull(Workload.share(groq, "m", "requests", 3, null, "USD", day));
        assertEquals(null, Workload.share(aws, "m", "requests", 3, null, "USD", day), "no revenue, no percent rule");
    }

    @Test
    void agreementJsonIsWhatTheLedgerExpects() throws Exception {
        JsonNode a = JSON.readTree(Workload.agreementJson(Workload.PARTNERS.get(1), CLOSED));
        assertEquals("2026-10-01T00:00:00Z", a.path("effectiveFrom").asText());
        assertEquals("USD", a.path("currency").asText());
        assertEquals("PER_UNIT", a.path("rules").get(0).path("type").asText());
        assertEquals(1_000_000, a.path("rules").get(0).path("unitSize").asLong());
        assertEquals("0.12", a.path("rules").get(1).path("rate").asText());
        assertTrue(Workload.glob("llama-3.1-405b*").matcher("llama-3.1-405b-instruct").matches());
        assertFalse(Workload.glob("llama-3.1-405b*").matcher("llama-3.1-70b-instruct").matches());
        assertTrue(Workload.glob("*").matcher("anything").matches());
        assertFalse(Workload.glob("a.c").matcher("abc").matches(), "only * is special");
    }

    @Test
    void singlePartnerSendsEveryEventForThatPartnerAndCountsOnlyItsMoney() throws Exception {
        // given a generator narrowed to one partner (--single-partner)
        Expected expected = new Expected();
        YearMonth closed = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
        FeedGenerator g = new FeedGenerator(IDS, "sp", 11, Clock.systemUTC(), closed, 0.05, 0.02, 0.03, expected)
                .onlyPartner(2);

        // when it generates records
        int duplicates = 0;
        for (int i = 0; i < 5_000; i++) {
            FeedGenerator.Event e = g.next('A');

            // then every one is the partner's, keyed and addressed to it
            assertEquals(2, e.partner());
            assertEquals(IDS.get(2), e.key());
            assertEquals(IDS.get(2), new ObjectMapper().readTree(e.value()).path("partnerid").asText());
            duplicates += e.duplicate() ? 1 : 0;
        }
        assertEquals(Set.of(IDS.get(2)), expected.byPartner().keySet());
        assertEquals(5_000 - duplicates, expected.uniqueEvents());
        assertTrue(duplicates > 0, "re-deliveries are still generated");
    }
}
