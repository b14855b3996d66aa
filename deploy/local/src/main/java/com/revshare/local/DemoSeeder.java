package com.revshare.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Topics;

/**
 * Seeds a running revshare system with six months of demo data through its public APIs and Kafka
 * only (issue 13 item 6): the eight demo partners with agreements from the first of the month five
 * months back, hourly usage since then, every month but the current one closed, payments (most
 * partners on time, {@value #LATE_PAYER} late so that every aging bucket holds money today,
 * {@value #OVERPAYER} overpaying), payment terms, hourly control totals for the last hours (one
 * {@code SHORT} hour of {@value #RECONCILED} whose missing events are sent afterwards and become
 * {@code MATCHED}, one that stays {@code SHORT}), a manual adjustment for {@value #ADJUSTED} and
 * a re-rating agreement change for {@value #RERATED} effective inside the open month.
 *
 * <p>Idempotent: ids are deterministic (events per partner and hour, controls per hour, payments
 * per period), payments and controls are idempotent by id, closes are idempotent, and the
 * adjustment and the agreement change are made only when not there yet; a second run over the
 * same system adds nothing but what time added (new hours, a month that ended meanwhile).
 *
 * <p>Entry points: {@link #seed} from code, {@link #main} from a shell against a running system.
 *
 * <p>Longer than the project's ~500-line guide on purpose: it is one script of the demo's story,
 * read top to bottom in the order the data is made (partners, usage and controls, the ledger's
 * closes, adjustment, re-rating and payments, reporting), each step depending on the previous
 * ones' results; the banners mark the steps. Splitting it would scatter one story over classes that
 * share all its state.
 */
public final class DemoSeeder {
    static final String RERATED = "aws";
    static final String RECONCILED = "azure";
    static final String LATE_PAYER = "google-cloud";
    static final String ADJUSTED = "databricks";
    static final String OVERPAYER = "snowflake";
    static final String ADJUSTMENT_MEMO = "Demo: fee for the dedicated deployment agreed with the partner";
    private static final Map<String, Integer> PAYMENT_TERMS_DAYS = Map.of("aws", 30, "azure", 45, "databricks", 30,
            "groq", 15, "nvidia", 60, "dell", 30, "snowflake", 30);
    private static final BigDecimal PREPAYMENT = new BigDecimal("2500.00");
    private static final int BATCH_SIZE_LIMIT = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How much to seed. {@code partnerPrefix} prefixes every partner id (empty for the local run;
     * a test sharing a system with other tests takes its own). {@code timeout} bounds each wait.
     */
    public record Options(int eventsPerMonth, long seed, int months, int controlHours, String partnerPrefix,
            Duration timeout) {
        public static Options defaults() {
            return new Options(3000, 42, 6, 72, "", Duration.ofMinutes(3));
        }

        public Options withEventsPerMonth(int n) {
            return new Options(n, seed, months, controlHours, partnerPrefix, timeout);
        }

        public Options withControlHours(int n) {
            return new Options(eventsPerMonth, seed, months, n, partnerPrefix, timeout);
        }

        public Options withPartnerPrefix(String prefix) {
            return new Options(eventsPerMonth, seed, months, controlHours, prefix, timeout);
        }
    }

    /**
     * What the seeding did and saw. {@code healedObservedShort}: the healed hour's control was
     * read {@code SHORT} through the controls API before its missing events were sent (a first
     * seeding only); {@code skipped} names the features whose API did not answer (not built yet).
     */
    public record Result(List<String> partners, YearMonth currentMonth, int usageEventsSent, int controlsSent,
            String reconciledPartner, String shortControlId, String healedControlId, boolean healedObservedShort,
            boolean healedMatched, String latePayer, String overpayer, String adjustedPartner, String reratedPartner,
            Instant reratedFrom, int paymentsRecorded, List<String> skipped) {
        /** The result as JSON (times and months as ISO text). */
        public String toJson() {
            ObjectNode node = JSON.createObjectNode();
            partners.forEach(node.putArray("partners")::add);
            node.put("currentMonth", currentMonth.toString()).put("usageEventsSent", usageEventsSent)
                    .put("controlsSent", controlsSent).put("reconciledPartner", reconciledPartner)
                    .put("shortControlId", shortControlId).put("healedControlId", healedControlId)
                    .put("healedObservedShort", healedObservedShort).put("healedMatched", healedMatched)
                    .put("latePayer", latePayer).put("overpayer", overpayer).put("adjustedPartner", adjustedPartner)
                    .put("reratedPartner", reratedPartner)
                    .put("reratedFrom", reratedFrom == null ? null : reratedFrom.toString())
                    .put("paymentsRecorded", paymentsRecorded);
            skipped.forEach(node.putArray("skipped")::add);
            return node.toPrettyString();
        }
    }

    private final Api api;
    private final String ingest;
    private final String ledger;
    private final String reporting;
    private final String kafkaBootstrap;
    private final Map<String, String> partnerTokens;
    private final Instant now;
    private final Options options;
    private final List<DemoData.Partner> partners;
    private final Map<String, Instant> startOf = new LinkedHashMap<>();
    private final Map<String, Long> expectedAccepted = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();
    private boolean fresh;

    private DemoSeeder(String ingest, String ledger, String reporting, String kafkaBootstrap, String adminToken,
            String financeToken, Map<String, String> partnerTokens, Instant now, Options options) {
        this.api = new Api(adminToken, financeToken, options.timeout());
        this.ingest = ingest;
        this.ledger = ledger;
        this.reporting = reporting;
        this.kafkaBootstrap = kafkaBootstrap;
        this.partnerTokens = partnerTokens;
        this.now = now;
        this.options = options;
        this.partners = DemoData.partners(options.partnerPrefix());
    }

    /** Seeds with {@link Options#defaults()}. */
    public static Result seed(String ingestUrl, String ledgerUrl, String reportingUrl, String kafkaBootstrap,
            String adminToken, String financeToken, Map<String, String> partnerTokens, Instant now) {
        return seed(ingestUrl, ledgerUrl, reportingUrl, kafkaBootstrap, adminToken, financeToken, partnerTokens, now,
                Options.defaults());
    }

    /**
     * Seeds the system whose services answer at the given base URLs; {@code partnerTokens} maps
     * each (prefixed) partner id to a partner token; {@code now} is the demo's present (at most
     * the real present: ingest refuses events from the future).
     */
    public static Result seed(String ingestUrl, String ledgerUrl, String reportingUrl, String kafkaBootstrap,
            String adminToken, String financeToken, Map<String, String> partnerTokens, Instant now, Options options) {
        try {
            return new DemoSeeder(ingestUrl, ledgerUrl, reportingUrl, kafkaBootstrap, adminToken, financeToken,
                    partnerTokens, now, options).run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Result run() throws IOException, InterruptedException {
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        registerPartners(current);
        awaitKnownToIngest();

        DemoData.Partner reconciled = partner(RECONCILED);
        Instant lastHour = now.truncatedTo(ChronoUnit.HOURS);
        Map<String, JsonNode> existingControls = controlsOf(reconciled.id());
        boolean controlsApi = existingControls != null;
        Instant healedHour = special(existingControls, "-healed", lastHour.minus(Duration.ofHours(5)));
        Instant shortHour = special(existingControls, "-short", lastHour.minus(Duration.ofHours(3)));
        boolean healedIsNew = controlsApi && !existingControls.containsKey(controlId(reconciled, healedHour, "-healed"));
        List<DemoData.Event> late = DemoData.extra(reconciled, healedHour, "late", 3, options.seed());
        List<DemoData.Event> lost = DemoData.extra(reconciled, shortHour, "lost", 2, options.seed());

        List<DemoData.Event> feed = new ArrayList<>();
        for (DemoData.Partner p : partners) {
            List<DemoData.Event> events = DemoData.feed(p, startOf.get(p.id()), now, options.eventsPerMonth(),
                    options.seed());
            feed.addAll(events);
            expectedAccepted.put(p.id(), (long) events.size());
        }
        if (!healedIsNew) { // nothing to demonstrate (again): the missing events simply go with the feed
            feed.addAll(late);
            expectedAccepted.merge(reconciled.id(), (long) late.size(), Long::sum);
        }
        produce(feed);
        log("%d usage events (%d months, %d per month) sent to %s%s", feed.size(), options.months(),
                options.eventsPerMonth(), Topics.USAGE_RAW, fresh ? " with one malformed record" : "");
        awaitAccepted();

        int controlsSent = 0;
        boolean healedObservedShort = false;
        boolean healedMatched = false;
        if (controlsApi) {
            controlsSent = sendControls(reconciled, healedHour, late, shortHour, lost);
            controlsApi = controlsSent >= 0;
        }
        if (!controlsApi) {
            skipped.add("controls (ingest answers no control API yet)");
            controlsSent = 0;
        }
        if (healedIsNew && controlsApi) {
            String id = controlId(reconciled, healedHour, "-healed");
            healedObservedShort = awaitControl(reconciled.id(), healedHour, id, "SHORT");
            postEvents(reconciled.id(), late.stream().map(DemoData.Event::json).toList(), late.size());
            expectedAccepted.merge(reconciled.id(), (long) late.size(), Long::sum);
            healedMatched = awaitControl(reconciled.id(), healedHour, id, "MATCHED");
            log("control %s was SHORT, its %d missing events arrived late, now MATCHED", id, late.size());
        }
        awaitLedgerCaughtUp();

        Map<String, Map<YearMonth, String>> amountDue = closeEarlierMonths(current);
        adjust(current);
        Instant reratedFrom = rerate(current, feed);
        int payments = recordPayments(current, amountDue);
        awaitReportingFresh();

        return new Result(partners.stream().map(DemoData.Partner::id).toList(), current, feed.size(), controlsSent,
                reconciled.id(), controlsApi ? controlId(reconciled, shortHour, "-short") : null,
                controlsApi ? controlId(reconciled, healedHour, "-healed") : null, healedObservedShort, healedMatched,
                partner(LATE_PAYER).id(), partner(OVERPAYER).id(), partner(ADJUSTED).id(), partner(RERATED).id(),
                reratedFrom, payments, List.copyOf(skipped));
    }

    // ---- partners, agreements, payment terms ------------------------------------------------------------------

    private void registerPartners(YearMonth current) throws IOException, InterruptedException {
        Instant windowStart = current.minusMonths(options.months() - 1L).atDay(1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);
        for (DemoData.Partner p : partners) {
            ObjectNode body = JSON.createObjectNode().put("name", p.name()).put("currency", p.currency())
                    .put("paymentTermsDays", paymentTermsDays(p));
            api.expect(api.send("PUT", ledger + "/api/v1/partners/" + p.id(), api.admin, body.toString(), null), 200,
                    201);
            JsonNode versions = api.json(api.expect(api.get(ledger + "/api/v1/partners/" + p.id() + "/agreements",
                    api.admin), 200));
            if (versions.isEmpty()) {
                api.expect(api.send("POST", ledger + "/api/v1/partners/" + p.id() + "/agreements", api.admin,
                        p.agreementJson(windowStart), null), 201);
                startOf.put(p.id(), windowStart);
                fresh = true;
            } else {
                Instant first = Instant.parse(versions.get(0).path("effectiveFrom").asText());
                startOf.put(p.id(), first.isAfter(windowStart) ? first.truncatedTo(ChronoUnit.HOURS) : first);
            }
        }
        log("%d partners registered, agreements from %s", partners.size(), windowStart);
    }

    private int paymentTermsDays(DemoData.Partner p) {
        String base = p.id().substring(options.partnerPrefix().length());
        return LATE_PAYER.equals(base) ? lateTermsDays(LocalDate.ofInstant(now, ZoneOffset.UTC))
                : PAYMENT_TERMS_DAYS.get(base);
    }

    /**
     * Payment terms under which the late payer's five last closed months, all unpaid, age into the
     * five buckets today (SPEC §3.8): the month before this one {@code current}, then {@code 1-30},
     * {@code 31-60}, {@code 61-90}, {@code 90+}. With {@code a_k} = today − the first day of the
     * month after the k-th last month, month k is {@code a_k − terms} days past due; the largest
     * terms that fit keep the buckets right for the most days to come (about four weeks).
     */
    static int lateTermsDays(LocalDate today) {
        long[] a = new long[6];
        for (int k = 1; k <= 5; k++) {
            a[k] = ChronoUnit.DAYS.between(today.withDayOfMonth(1).minusMonths(k - 1L), today);
        }
        long upper = Math.min(Math.min(a[2] - 1, a[3] - 31), Math.min(a[4] - 61, a[5] - 91));
        long lower = Math.max(Math.max(a[1], a[2] - 30), Math.max(a[3] - 60, a[4] - 90));
        if (upper < lower) {
            throw new IllegalStateException("no payment terms age five months into five buckets on " + today);
        }
        return (int) Math.max(0, Math.min(365, upper));
    }

    private void awaitKnownToIngest() throws InterruptedException {
        for (DemoData.Partner p : partners) {
            await("ingest knows " + p.id(), () -> api.status(api.get(ingest + "/api/v1/partners/" + p.id()
                    + "/intake", api.finance)) == 200);
        }
    }

    // ---- usage and control totals -----------------------------------------------------------------------------

    private void produce(List<DemoData.Event> feed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (DemoData.Event e : feed) {
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, e.partnerId(), e.json()));
            }
            if (fresh) { // a first seeding shows a rejection too
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, partners.get(0).id(),
                        "{\"specversion\":\"1.0\",\"id\":\"demo-broken\""));
            }
            producer.flush();
        }
    }

    private void awaitAccepted() throws InterruptedException {
        for (DemoData.Partner p : partners) {
            long expected = expectedAccepted.get(p.id());
            await(p.id() + " has " + expected + " accepted events at ingest",
                    () -> intake(p.id()).path("accepted").asLong() >= expected);
        }
    }

    private JsonNode intake(String partnerId) {
        return api.json(api.expect(api.get(ingest + "/api/v1/partners/" + partnerId + "/intake", api.finance), 200));
    }

    /**
     * The partner's controls of the last 31 days by id (an earlier demo's special hours, if any),
     * or null when ingest has no controls API yet.
     */
    private Map<String, JsonNode> controlsOf(String partnerId) {
        HttpResponse<String> r = api.get(ingest + "/api/v1/partners/" + partnerId + "/controls?from="
                + enc(now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(31)).toString()), api.finance);
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            return null;
        }
        Map<String, JsonNode> controls = new LinkedHashMap<>();
        api.json(api.expect(r, 200)).forEach(c -> controls.put(c.path("controlId").asText(), c));
        return controls;
    }

    private static Instant special(Map<String, JsonNode> controls, String suffix, Instant otherwise) {
        if (controls != null) {
            for (var e : controls.entrySet()) {
                if (e.getKey().endsWith(suffix)) {
                    return Instant.parse(e.getValue().path("from").asText());
                }
            }
        }
        return otherwise;
    }

    private static String controlId(DemoData.Partner p, Instant hour, String suffix) {
        return p.id() + "-ctl-" + DemoData.hourTag(hour) + suffix;
    }

    /**
     * One control per partner and completed hour of the last {@code controlHours} hours, stating
     * what the feed holds for the hour (for the reconciled partner's two special hours, the feed
     * plus the events that come late or never). Sent over HTTP as each partner; -1 when ingest
     * refuses the control type (not built yet).
     */
    private int sendControls(DemoData.Partner reconciled, Instant healedHour, List<DemoData.Event> late,
            Instant shortHour, List<DemoData.Event> lost) throws InterruptedException {
        Instant last = now.truncatedTo(ChronoUnit.HOURS);
        int sent = 0;
        for (DemoData.Partner p : partners) {
            List<String> controls = new ArrayList<>();
            for (int i = options.controlHours(); i >= 1; i--) {
                Instant hour = last.minus(Duration.ofHours(i));
                if (hour.isBefore(startOf.get(p.id()))) {
                    continue;
                }
                List<DemoData.Event> stated = new ArrayList<>(DemoData.hour(p, hour, options.eventsPerMonth(),
                        options.seed()));
                String suffix = "";
                if (p == reconciled && hour.equals(healedHour)) {
                    stated.addAll(late);
                    suffix = "-healed";
                } else if (p == reconciled && hour.equals(shortHour)) {
                    stated.addAll(lost);
                    suffix = "-short";
                }
                controls.add(control(p, hour, controlId(p, hour, suffix), stated));
            }
            for (int from = 0; from < controls.size(); from += BATCH_SIZE_LIMIT) {
                List<String> batch = controls.subList(from, Math.min(controls.size(), from + BATCH_SIZE_LIMIT));
                JsonNode answer = postBatch(p.id(), batch);
                for (JsonNode rejected : answer.path("rejected")) {
                    if ("UNSUPPORTED_TYPE".equals(rejected.path("reason").asText())) {
                        return -1;
                    }
                    throw new IllegalStateException("control rejected: " + rejected);
                }
                sent += batch.size();
            }
        }
        log("%d hourly control totals sent (last %d hours of every partner)", sent, options.controlHours());
        return sent;
    }

    private String control(DemoData.Partner p, Instant hour, String id, List<DemoData.Event> stated) {
        Map<String, Long> quantities = new TreeMap<>();
        for (String metric : DemoData.METRICS) {
            quantities.put(metric, 0L);
        }
        BigDecimal revenue = BigDecimal.ZERO.setScale(8);
        for (DemoData.Event e : stated) {
            quantities.merge(e.metric(), e.quantity(), Long::sum);
            revenue = revenue.add(e.revenue());
        }
        ObjectNode data = JSON.createObjectNode();
        data.put("from", hour.toString()).put("to", hour.plus(Duration.ofHours(1)).toString())
                .put("eventCount", stated.size());
        ObjectNode q = data.putObject("quantities");
        quantities.forEach((metric, sum) -> q.put(metric, Long.toString(sum)));
        data.putObject("revenue").put("USD", revenue.toPlainString());
        Instant reportedAt = hour.plus(Duration.ofMinutes(65));
        ObjectNode event = JSON.createObjectNode().put("specversion", "1.0").put("id", id)
                .put("source", "partners/" + p.id()).put("type", "revshare.control.v1")
                .put("time", (reportedAt.isAfter(now) ? now : reportedAt).toString()).put("partnerid", p.id())
                .put("datacontenttype", "application/json");
        event.set("data", data);
        return event.toString();
    }

    private JsonNode postBatch(String partnerId, List<String> events) {
        String body = "[" + String.join(",", events) + "]";
        return api.json(api.expect(api.send("POST", ingest + "/api/v1/usage-events", partnerTokens.get(partnerId),
                body, "application/cloudevents-batch+json"), 202));
    }

    private void postEvents(String partnerId, List<String> events, int expected) {
        JsonNode answer = postBatch(partnerId, events);
        if (answer.path("accepted").asInt() + answer.path("duplicates").asInt() != expected) {
            throw new IllegalStateException("late events of " + partnerId + " not all accepted: " + answer);
        }
    }

    private boolean awaitControl(String partnerId, Instant hour, String controlId, String status)
            throws InterruptedException {
        String url = ingest + "/api/v1/partners/" + partnerId + "/controls?from=" + enc(hour.toString()) + "&to="
                + enc(hour.plus(Duration.ofHours(1)).toString());
        await("control " + controlId + " " + status, () -> {
            for (JsonNode c : api.json(api.expect(api.get(url, api.finance), 200))) {
                if (controlId.equals(c.path("controlId").asText())) {
                    return status.equals(c.path("status").asText());
                }
            }
            return false;
        });
        return true;
    }

    // ---- ledger: close, adjust, re-rate, payments -------------------------------------------------------------

    /** Waits until the ledger has booked (or parked) everything ingest accepted, and nothing is unrated. */
    private void awaitLedgerCaughtUp() throws InterruptedException {
        for (DemoData.Partner p : partners) {
            await("ledger booked all of " + p.id(), () -> {
                long last = intake(p.id()).path("lastIngestSequence").asLong();
                JsonNode balance = balance(p.id());
                return last >= expectedAccepted.get(p.id()) && balance.path("ingestSequence").asLong() == last
                        && balance.path("unratedCount").asLong() == 0;
            });
        }
    }

    private JsonNode balance(String partnerId) {
        return api.json(api.expect(api.get(ledger + "/api/v1/partners/" + partnerId + "/balance", api.finance), 200));
    }

    /** Closes every month of every partner before the current one, in order; answers each period's amountDue. */
    private Map<String, Map<YearMonth, String>> closeEarlierMonths(YearMonth current) {
        Map<String, Map<YearMonth, String>> due = new LinkedHashMap<>();
        int closes = 0;
        for (DemoData.Partner p : partners) {
            Map<YearMonth, String> mine = new TreeMap<>();
            for (YearMonth m = YearMonth.from(startOf.get(p.id()).atZone(ZoneOffset.UTC)); m.isBefore(current);
                    m = m.plusMonths(1)) {
                JsonNode closed = api.json(api.expect(api.send("POST", ledger + "/api/v1/partners/" + p.id()
                        + "/periods/" + m + "/close", api.admin, null, null), 200));
                mine.put(m, closed.path("amountDue").asText());
                closes++;
            }
            due.put(p.id(), mine);
        }
        log("%d partner months closed (all before %s)", closes, current);
        return due;
    }

    /** One manual adjustment in the open month, unless an earlier run made it. */
    private void adjust(YearMonth current) throws InterruptedException {
        DemoData.Partner p = partner(ADJUSTED);
        awaitFresh(p.id());
        JsonNode entries = api.json(api.expect(api.get(reporting + "/api/v1/reports/partners/" + p.id()
                + "/entries?kind=MANUAL_ADJUSTMENT&limit=1000", api.finance), 200));
        for (JsonNode e : entries.path("entries")) {
            if (e.path("memo").asText().startsWith(ADJUSTMENT_MEMO)) {
                return;
            }
        }
        ObjectNode body = JSON.createObjectNode().put("period", current.toString()).put("amount", "250.00")
                .put("memo", ADJUSTMENT_MEMO + " (" + current + ")");
        api.expect(api.send("POST", ledger + "/api/v1/partners/" + p.id() + "/adjustments", api.admin,
                body.toString(), null), 201);
        log("manual adjustment of 250.00 posted for %s in %s", p.id(), current);
    }

    /**
     * Version 2 of {@value #RERATED}'s agreement (a higher rate) from the middle of the open month
     * so far: the events since then are re-rated (a REVERSAL and a new USAGE entry each). Made once.
     */
    private Instant rerate(YearMonth current, List<DemoData.Event> feed) throws IOException, InterruptedException {
        DemoData.Partner p = partner(RERATED);
        JsonNode versions = api.json(api.expect(api.get(ledger + "/api/v1/partners/" + p.id() + "/agreements",
                api.admin), 200));
        if (versions.size() > 1) {
            return Instant.parse(versions.get(1).path("effectiveFrom").asText());
        }
        Instant monthStart = current.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant from = monthStart.plus(Duration.between(monthStart, now).dividedBy(2)).truncatedTo(ChronoUnit.HOURS);
        ObjectNode agreement = (ObjectNode) JSON.readTree(p.agreementJson(from));
        ((ObjectNode) agreement.path("rules").get(0)).put("rate", "0.17");
        api.expect(api.send("POST", ledger + "/api/v1/partners/" + p.id() + "/agreements", api.admin,
                agreement.toString(), null), 201);
        long rerated = feed.stream().filter(e -> e.partnerId().equals(p.id()) && !e.time().isBefore(from)).count();
        log("%s's agreement version 2 (rate 0.17) from %s re-rates its %d events since then", p.id(), from, rerated);
        if (rerated > 0) {
            await(p.id() + "'s re-rating reaches reporting", () -> api.json(api.expect(api.get(reporting
                    + "/api/v1/reports/partners/" + p.id() + "/entries?kind=REVERSAL&limit=1000", api.finance), 200))
                    .path("entries").size() >= rerated);
        }
        return from;
    }

    /**
     * Payments by partner (SPEC §3.8): most pay each billed month three days before it is due;
     * {@value #LATE_PAYER} paid only part of its oldest month, yesterday; {@value #OVERPAYER} pays
     * on time and has prepaid on the first of this month (unallocated credit).
     */
    private int recordPayments(YearMonth current, Map<String, Map<YearMonth, String>> amountDue) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        int recorded = 0;
        for (DemoData.Partner p : partners) {
            HttpResponse<String> existing = api.get(ledger + "/api/v1/partners/" + p.id() + "/payments", api.finance);
            if (existing.statusCode() == 404 || existing.statusCode() == 405) {
                skipped.add("payments (the ledger answers no payments API yet)");
                return 0;
            }
            Set<String> paid = new HashSet<>();
            api.json(api.expect(existing, 200)).forEach(e -> paid.add(e.path("paymentId").asText()));
            String base = p.id().substring(options.partnerPrefix().length());
            List<ObjectNode> payments = new ArrayList<>();
            if (LATE_PAYER.equals(base)) {
                amountDue.get(p.id()).entrySet().stream().filter(e -> new BigDecimal(e.getValue()).signum() > 0)
                        .findFirst().ifPresent(oldest -> {
                            BigDecimal part = new BigDecimal(oldest.getValue()).multiply(new BigDecimal("0.4"))
                                    .setScale(2, RoundingMode.DOWN);
                            if (part.signum() > 0) {
                                payments.add(payment("demo-late-" + oldest.getKey(), part, today.minusDays(1),
                                        "partial wire for " + oldest.getKey()));
                            }
                        });
            } else {
                int terms = PAYMENT_TERMS_DAYS.get(base);
                amountDue.get(p.id()).forEach((month, due) -> {
                    LocalDate receivedOn = month.plusMonths(1).atDay(1).plusDays(terms - 3L);
                    if (new BigDecimal(due).signum() > 0 && !receivedOn.isAfter(today)) {
                        payments.add(payment("demo-" + month, new BigDecimal(due), receivedOn, "wire " + month));
                    }
                });
                if (OVERPAYER.equals(base)) {
                    payments.add(payment("demo-prepayment-" + current, PREPAYMENT, current.atDay(1),
                            "prepayment " + current));
                }
            }
            for (ObjectNode payment : payments) {
                if (!paid.contains(payment.path("paymentId").asText())) {
                    api.expect(api.send("POST", ledger + "/api/v1/partners/" + p.id() + "/payments", api.finance,
                            payment.toString(), null), 201, 200);
                    recorded++;
                }
            }
        }
        log("%d payments recorded", recorded);
        return recorded;
    }

    private static ObjectNode payment(String id, BigDecimal amount, LocalDate receivedOn, String reference) {
        return JSON.createObjectNode().put("paymentId", id).put("amount", amount.toPlainString()).put("currency", "USD")
                .put("receivedOn", receivedOn.toString()).put("reference", reference);
    }

    // ---- reporting --------------------------------------------------------------------------------------------

    private void awaitReportingFresh() throws InterruptedException {
        for (DemoData.Partner p : partners) {
            awaitFresh(p.id());
        }
    }

    /** Waits until reporting has applied every entry the ledger has for the partner. */
    private void awaitFresh(String partnerId) throws InterruptedException {
        await("reporting fresh for " + partnerId, () -> {
            long last = balance(partnerId).path("lastSequence").asLong();
            for (JsonNode f : api.json(api.expect(api.get(reporting + "/api/v1/reports/freshness", api.finance), 200))) {
                if (partnerId.equals(f.path("partnerId").asText())) {
                    return f.path("sequence").asLong() >= last;
                }
            }
            return last == 0;
        });
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private DemoData.Partner partner(String base) {
        String id = options.partnerPrefix() + base;
        return partners.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(options.timeout());
        long pauseMs = 50;
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("demo seeding: not within " + options.timeout() + ": " + what);
            }
            Thread.sleep(pauseMs); // polling a remote system's state: no event to wait on
            pauseMs = Math.min(500, pauseMs * 2);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void log(String format, Object... args) {
        System.out.println("[revshare-demo] " + String.format(format, args));
    }

    /** The HTTP calls, with the tokens and the bound on each call. */
    private static final class Api {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final String admin;
        final String finance;
        private final Duration timeout;

        Api(String admin, String finance, Duration timeout) {
            this.admin = admin;
            this.finance = finance;
            this.timeout = timeout;
        }

        HttpResponse<String> get(String url, String token) {
            return send("GET", url, token, null, null);
        }

        HttpResponse<String> send(String method, String url, String token, String body, String contentType) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json").timeout(timeout);
            if (body != null) {
                b.header("Content-Type", contentType == null ? "application/json" : contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + url, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + method + " " + url, e);
            }
        }

        int status(HttpResponse<String> r) {
            return r.statusCode();
        }

        HttpResponse<String> expect(HttpResponse<String> r, int... statuses) {
            for (int s : statuses) {
                if (r.statusCode() == s) {
                    return r;
                }
            }
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered "
                    + r.statusCode() + ": " + r.body());
        }

        JsonNode json(HttpResponse<String> r) {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON from " + r.request().uri() + ": " + r.body(), e);
            }
        }
    }

    /**
     * Seeds a running system from a shell:
     * {@code --ingest URL --ledger URL --reporting URL --kafka BOOTSTRAP --tokens tokens.json}
     * {@code [--prefix P] [--events-per-month N] [--control-hours N] [--result result.json]}; the
     * tokens file is a local run's {@code jwt/tokens.json} (admin, finance, partners). Writes the
     * {@link Result} as JSON to {@code --result} when given.
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        Options options = Options.defaults().withPartnerPrefix(a.getOrDefault("--prefix", ""));
        if (a.containsKey("--events-per-month")) {
            options = options.withEventsPerMonth(Integer.parseInt(a.get("--events-per-month")));
        }
        if (a.containsKey("--control-hours")) {
            options = options.withControlHours(Integer.parseInt(a.get("--control-hours")));
        }
        JsonNode tokens = JSON.readTree(Path.of(require(a, "--tokens")).toFile());
        Map<String, String> partnerTokens = new LinkedHashMap<>();
        tokens.path("partners").fields().forEachRemaining(e -> partnerTokens.put(e.getKey(), e.getValue().asText()));
        Result result = seed(require(a, "--ingest"), require(a, "--ledger"), require(a, "--reporting"),
                require(a, "--kafka"), tokens.path("admin").asText(), tokens.path("finance").asText(), partnerTokens,
                Instant.now(), options);
        if (a.containsKey("--result")) {
            Files.writeString(Path.of(a.get("--result")), result.toJson());
        }
        log("done: %s", result);
    }

    private static String require(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + " (DemoSeeder --ingest URL --ledger URL "
                    + "--reporting URL --kafka BOOTSTRAP --tokens tokens.json [--prefix P] [--events-per-month N] "
                    + "[--control-hours N] [--result FILE])");
        }
        return value;
    }
}
