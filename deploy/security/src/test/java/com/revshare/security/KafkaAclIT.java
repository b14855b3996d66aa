package com.revshare.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.EmbeddedKafka;
import com.revshare.infra.EmbeddedPostgresServer;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.JwtKeys;
import com.revshare.infra.KafkaAclTable;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;
import com.revshare.infra.TopicSearch;
import com.revshare.infra.Topics;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 12.2 on a real broker: SASL/SCRAM-SHA-512 users and the standard authorizer, with exactly the
 * ACLs of deploy/kafka/acls.md (read from that file). Partners {@value #ALPHA} and {@value #BRAVO} are
 * confined to writing their own raw topic; the three services, each started from its jar with only its
 * own principal, carry an event from a partner's topic to the ledger and reporting.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaAclIT {
    static final String ALPHA = "alpha";
    static final String BRAVO = "bravo";
    /** Registered during the test: its raw topic exists only if ingest (with its own principal) creates it. */
    static final String CAROL = "carol";
    static final List<String> PARTNERS = List.of(ALPHA, BRAVO, CAROL);
    static final List<String> SERVICES = List.of("ingest", "ledger", "reporting");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer pg;
    private static Infrastructure infra;
    private static List<KafkaAclTable.Acl> acls;
    private static final Map<String, String> passwords = new LinkedHashMap<>();
    private static final Map<String, ServiceProcess> services = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("revshare-security-");
        // generous: the build machine is shared (load average far above its two cores at times)
        kafka = EmbeddedKafka.startSecured(work.resolve("kafka"), Duration.ofSeconds(240));
        pg = EmbeddedPostgresServer.start(work.resolve("pg"), 0, false);
        JwtKeys jwt = JwtKeys.loadOrCreate(work.resolve("jwt"));
        infra = Infrastructure.of(kafka.bootstrapServers(), pg.serverUrl(), "postgres", "postgres", jwt);

        // the topics an operator provisions (deploy/kafka/acls.md); alpha's and bravo's raw topics exist
        // from the start, carol's is left to ingest
        List<Topics.Spec> topics = new ArrayList<>(Topics.ALL);
        topics.add(new Topics.Spec(rawTopic(ALPHA), 1, Map.of()));
        topics.add(new Topics.Spec(rawTopic(BRAVO), 1, Map.of()));
        kafka.createTopics(topics);

        for (String user : Stream.concat(PARTNERS.stream().map(KafkaAclIT::partnerUser), SERVICES.stream()).toList()) {
            String password = "pw-" + user + "-" + Long.toHexString(System.nanoTime());
            kafka.createScramUser(user, password);
            passwords.put(user, password);
        }
        acls = KafkaAclTable.proven().expand(PARTNERS);
        kafka.addAcls(KafkaAclTable.bindings(acls));
        // the services boot (slowly on a loaded machine) while the partner tests run
        for (String service : SERVICES) {
            services.put(service, startService(service));
        }
    }

    @AfterAll
    static void stop() {
        services.values().forEach(ServiceProcess::stop);
        if (kafka != null) {
            kafka.close();
        }
        if (pg != null) {
            pg.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.io.IOException e) {
                System.err.println("could not delete " + work + ": " + e.getMessage());
            }
        }
    }

    @Test
    @Order(1)
    void theBrokerHoldsExactlyTheDocumentedAcls() throws Exception {
        // given the ACLs created from deploy/kafka/acls.md
        try (Admin admin = kafka.admin()) {
            // when the broker is asked for all of its ACLs
            var bindings = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
            // then it holds those and nothing more, for every partner and service principal
            assertEquals(Set.copyOf(KafkaAclTable.bindings(acls)), Set.copyOf(bindings));
            Set<String> principals = Set.copyOf(bindings.stream().map(b -> b.entry().principal()).toList());
            assertEquals(Set.of("User:partner-alpha", "User:partner-bravo", "User:partner-carol", "User:ingest",
                    "User:ledger", "User:reporting"), principals);
        }
    }

    @Test
    @Order(2)
    void partnerAProducesToItsOwnRawTopic() throws Exception {
        try (KafkaProducer<String, String> producer = producer(partnerUser(ALPHA))) {
            var metadata = producer.send(new ProducerRecord<>(rawTopic(ALPHA), ALPHA, "{}")).get(30, TimeUnit.SECONDS);
            assertEquals(rawTopic(ALPHA), metadata.topic());
        }
    }

    @Test
    @Order(3)
    void partnerAIsRefusedWritingToBsTopicTheSharedRawTopicAndEveryOtherTopic() {
        // given every topic but alpha's own
        List<String> others = Stream.concat(Topics.ALL.stream().map(Topics.Spec::name), Stream.of(rawTopic(BRAVO)))
                .toList();
        for (String topic : others) {
            // when partner alpha produces to it, then the broker refuses: no forged events, accepted events,
            // ledger entries or partner registrations
            AuthorizationException e = assertProduceDenied(partnerUser(ALPHA), topic);
            TopicAuthorizationException topicDenied = assertInstanceOf(TopicAuthorizationException.class, e);
            assertTrue(topicDenied.unauthorizedTopics().contains(topic), topicDenied.unauthorizedTopics().toString());
        }
    }

    @Test
    @Order(4)
    void partnerAReadsNothingNotEvenItsOwnTopic() {
        for (String topic : Stream.concat(Topics.ALL.stream().map(Topics.Spec::name),
                Stream.of(rawTopic(ALPHA), rawTopic(BRAVO))).toList()) {
            assertReadDenied(partnerUser(ALPHA), topic);
        }
    }

    @Test
    @Order(5)
    void partnerACannotJoinDescribeOrCreateAnything() throws Exception {
        // joining a service's group is refused
        Map<String, Object> props = consumerProps(partnerUser(ALPHA));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "revshare-ingest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(rawTopic(ALPHA)));
            assertThrows(GroupAuthorizationException.class, () -> pollUntilError(consumer));
        }
        try (Admin admin = Admin.create(adminProps(partnerUser(ALPHA)))) {
            // the services' groups cannot be described
            for (String group : List.of("revshare-ingest", "revshare-ledger", "revshare-reporting")) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS));
                assertInstanceOf(GroupAuthorizationException.class, e.getCause(), group);
            }
            // the topic list shows its own topic only: other partners' topics are not even named
            assertEquals(Set.of(rawTopic(ALPHA)), admin.listTopics().names().get(30, TimeUnit.SECONDS));
            // no topic can be created, e.g. the raw topic of a partner not registered yet
            ExecutionException create = assertThrows(ExecutionException.class, () -> admin.createTopics(
                    List.of(new NewTopic(rawTopic("mallory"), 1, (short) 1))).all().get(30, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, create.getCause());
            // and the ACLs themselves are not readable
            ExecutionException describeAcls = assertThrows(ExecutionException.class,
                    () -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
            assertInstanceOf(ClusterAuthorizationException.class, describeAcls.getCause());
        }
    }

    @Test
    @Order(6)
    void eachServicePrincipalWritesOnlyWhereTheTableAllows() {
        // a compromised service cannot forge another stage's records
        for (String service : SERVICES) {
            for (Topics.Spec spec : Topics.ALL) {
                if (!KafkaAclTable.allows(acls, "User:" + service, spec.name(), AclOperation.WRITE)) {
                    assertProduceDenied(service, spec.name());
                }
            }
        }
    }

    @Test
    @Order(7)
    void eachServiceWorksEndToEndWithOnlyItsOwnPrincipal() throws Exception {
        // given the three services, each with its own principal's credentials only
        for (ServiceProcess s : services.values()) {
            s.awaitReady(Duration.ofSeconds(300));
        }
        // when alpha is registered with an agreement and sends one event over HTTP
        registerWithAgreement(ALPHA);
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        awaitKnownToIngest(ALPHA);
        given().baseUri(services.get("ingest").baseUrl()).auth().oauth2(infra.jwt().partner(ALPHA, Duration.ofHours(1)))
                .contentType("application/cloudevents+json").body(event(ALPHA, "http-1", time, "10.00"))
                .post("/api/v1/usage-events").then().statusCode(202);
        // then the ledger books it and reporting projects it: 10.00 x 0.15
        awaitReportRow(ALPHA, YearMonth.from(time.atZone(ZoneOffset.UTC)), "1.50000000", 1);
    }

    @Test
    @Order(8)
    void anEventOnAPartnersTopicIsBookedAndOneClaimingAnotherPartnerIsRejectedPartnerMismatch() throws Exception {
        // given carol registered: ingest creates her raw topic with its own principal
        registerWithAgreement(CAROL);
        try (Admin admin = kafka.admin()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(
                    () -> admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(rawTopic(CAROL)));
        }
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        // when carol, with her own credentials, sends her event and one claiming to be alpha's (key and body)
        try (KafkaProducer<String, String> producer = producer(partnerUser(CAROL))) {
            producer.send(new ProducerRecord<>(rawTopic(CAROL), CAROL, event(CAROL, "topic-1", time, "20.00")))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(rawTopic(CAROL), ALPHA, event(ALPHA, "forged-1", time, "1000.00")))
                    .get(30, TimeUnit.SECONDS);
        }
        YearMonth period = YearMonth.from(time.atZone(ZoneOffset.UTC));
        // then her event is accepted, booked and projected
        awaitReportRow(CAROL, period, "3.00000000", 1);
        // and the forged one is rejected PARTNER_MISMATCH on revshare.usage.rejected
        JsonNode rejection = awaitRejection("forged-1");
        assertEquals("PARTNER_MISMATCH", rejection.path("reason").asText(), rejection.toString());
        // and counted as carol's claim (SPEC §2.7: the topic's partner), not alpha's
        String finance = infra.jwt().finance(Duration.ofHours(1));
        String ingest = services.get("ingest").baseUrl();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            List<String> carols = given().baseUri(ingest).auth().oauth2(finance)
                    .get("/api/v1/partners/" + CAROL + "/rejections?reason=PARTNER_MISMATCH")
                    .then().statusCode(200).extract().jsonPath().getList("rejections.eventId", String.class);
            assertTrue(carols.contains("forged-1"), carols.toString());
        });
        List<String> alphas = given().baseUri(ingest).auth().oauth2(finance)
                .get("/api/v1/partners/" + ALPHA + "/rejections").then().statusCode(200).extract().jsonPath()
                .getList("rejections.eventId", String.class);
        assertFalse(alphas.contains("forged-1"), alphas.toString());
        // and alpha's figures are untouched by it
        awaitReportRow(ALPHA, period, "1.50000000", 1);
    }

    @Test
    @Order(9)
    void hostileTextIsStoredVerbatimAsDataAndForgesNoLogLine() throws Exception {
        // given text that would change a query built by concatenation, and a line break followed by a fake log line
        String sql = "x'); drop table usage_event; --";
        String forgedLine = "FORGED-LOG-LINE " + Long.toHexString(System.nanoTime());
        String name = "O'Brien\"; drop table partner; --\n" + forgedLine + "\r\n" + forgedLine;
        String admin = infra.jwt().admin(Duration.ofHours(1));
        String ledger = services.get("ledger").baseUrl();
        // when a partner is registered under that name and alpha sends an event whose id is SQL
        given().baseUri(ledger).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "currency", "USD")).put("/api/v1/partners/dave")
                .then().statusCode(anyOf(is(201), is(200)));
        String ingest = services.get("ingest").baseUrl();
        String token = infra.jwt().partner(ALPHA, Duration.ofHours(1));
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(30);
        String sqlEvent = event(ALPHA, sql, time, "1.00");
        given().baseUri(ingest).auth().oauth2(token).contentType("application/cloudevents+json").body(sqlEvent)
                .post("/api/v1/usage-events").then().statusCode(202).body("accepted", is(1));
        // and an event whose id carries the line break (invalid: ids are printable ASCII)
        String brokenId = event(ALPHA, "id\\n" + forgedLine, time, "1.00");
        given().baseUri(ingest).auth().oauth2(token).contentType("application/cloudevents+json").body(brokenId)
                .post("/api/v1/usage-events").then().statusCode(202).body("rejected[0].reason", is("INVALID_FIELD"));

        // then the name is stored and answered exactly as sent: data, never SQL
        given().baseUri(ledger).auth().oauth2(admin).get("/api/v1/partners/dave")
                .then().statusCode(200).body("name", is(name));
        // and the SQL id is an ordinary id: sent again it is a duplicate of the one stored (the table is intact)
        given().baseUri(ingest).auth().oauth2(token).contentType("application/cloudevents+json").body(sqlEvent)
                .post("/api/v1/usage-events").then().statusCode(202).body("duplicates", is(1));
        // and no service log has a line that begins with the forged text
        for (ServiceProcess service : services.values()) {
            for (String line : Files.readAllLines(service.log())) {
                assertFalse(line.startsWith(forgedLine), service.name() + " logged a forged line: " + line);
            }
        }
    }

    // ---- helpers

    static String rawTopic(String partnerId) {
        return Topics.USAGE_RAW + "." + partnerId;
    }

    static String partnerUser(String partnerId) {
        return "partner-" + partnerId;
    }

    private static ServiceProcess startService(String service) {
        Map<String, String> props = new LinkedHashMap<>(infra.quarkusConfig("security_" + service));
        kafka.clientProperties(service, passwords.get(service)).forEach((k, v) -> props.put("kafka." + k, v));
        return ServiceProcess.start(service + "-service", Ports.free(), props,
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Path.of("target", "security-logs").toAbsolutePath());
    }

    private static void registerWithAgreement(String partner) {
        String ledger = services.get("ledger").baseUrl();
        String admin = infra.jwt().admin(Duration.ofHours(1));
        given().baseUri(ledger).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "Partner " + partner, "currency", "USD"))
                .put("/api/v1/partners/" + partner).then().statusCode(anyOf(is(201), is(200)));
        given().baseUri(ledger).auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"}]}""")
                .post("/api/v1/partners/" + partner + "/agreements").then().statusCode(201);
    }

    /** SPEC §2.4: a registered partner is known to ingest within 5 s (a future event: FUTURE_EVENT once known). */
    private static void awaitKnownToIngest(String partner) {
        String probe = event(partner, "probe-" + partner, Instant.now().plus(Duration.ofDays(1)), "1");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> "FUTURE_EVENT".equals(
                given().baseUri(services.get("ingest").baseUrl())
                        .auth().oauth2(infra.jwt().partner(partner, Duration.ofHours(1)))
                        .contentType("application/cloudevents+json").body(probe)
                        .post("/api/v1/usage-events").then().statusCode(202).extract().jsonPath()
                        .getString("rejected[0].reason")));
    }

    private static void awaitReportRow(String partner, YearMonth period, String total, int events) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath rows = given().baseUri(services.get("reporting").baseUrl())
                    .auth().oauth2(infra.jwt().finance(Duration.ofHours(1)))
                    .get("/api/v1/reports/periods/" + period).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> mine = rows.getList("findAll { it.partnerId == '" + partner + "' }");
            assertEquals(1, mine.size(), "one row for " + partner + " in " + rows.prettify());
            assertEquals(total, mine.get(0).get("total"));
            assertEquals(events, ((Number) mine.get(0).get("eventCount")).intValue());
        });
    }

    private static JsonNode awaitRejection(String eventId) {
        return TopicSearch.first(kafka.superUserProperties(), Topics.USAGE_REJECTED,
                node -> eventId.equals(node.path("eventId").asText()), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("no rejection of " + eventId + " on " + Topics.USAGE_REJECTED));
    }

    static String event(String partner, String id, Instant time, String revenue) {
        return """
                {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1","time":"%s",
                 "partnerid":"%s","datacontenttype":"application/json",
                 "data":{"model":"llama-3.1-70b-instruct","metric":"output_tokens","quantity":1000,
                         "revenue":{"amount":"%s","currency":"USD"},"region":"us-east-1"}}"""
                .formatted(id, partner, time, partner, revenue);
    }

    /**
     * Producing as {@code user} to {@code topic} fails with an authorization error: the topic's (no Write),
     * or the cluster's for a principal without IdempotentWrite, whose idempotent producer cannot even start.
     */
    private static AuthorizationException assertProduceDenied(String user, String topic) {
        try (KafkaProducer<String, String> producer = producer(user)) {
            Exception e = assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>(topic, "k", "{}")).get(30, TimeUnit.SECONDS),
                    user + " produced to " + topic);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return assertInstanceOf(AuthorizationException.class, cause, user + " on " + topic);
        }
    }

    private static void assertReadDenied(String user, String topic) {
        Map<String, Object> props = consumerProps(user);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            AuthorizationException e = assertThrows(AuthorizationException.class, () -> pollUntilError(consumer),
                    user + " read " + topic);
            assertInstanceOf(TopicAuthorizationException.class, e, user + " on " + topic);
        }
    }

    /** Polls until the consumer throws (the expected authorization error) or 30 s pass without one. */
    private static void pollUntilError(KafkaConsumer<String, String> consumer) {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            consumer.poll(Duration.ofMillis(500));
        }
        assertFalse(true, "no authorization error within 30 s");
    }

    private static KafkaProducer<String, String> producer(String user) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(user, passwords.get(user)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "25000");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static Map<String, Object> consumerProps(String user) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(user, passwords.get(user)));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    private static Map<String, Object> adminProps(String user) {
        Map<String, Object> props = new HashMap<>(kafka.clientProperties(user, passwords.get(user)));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return props;
    }
}
