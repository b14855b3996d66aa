package com.revshare.reporting.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;
import com.revshare.reporting.application.EntryApplier;
import com.revshare.reporting.application.HeldRecordMetrics;
import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;
import com.revshare.reporting.it.EntryFixtures;
import com.revshare.reporting.it.Publisher;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Issue 10, faults: a second reporting instance on the same database shares the partitions by
 * group and a rebalance in the middle of the stream neither loses nor doubles an entry; every
 * pooled database connection broken at once (what a PostgreSQL crash does to the pool) stops
 * neither consumer.
 */
@QuarkusTest
class ConsumerFaultsTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    @org.junit.jupiter.api.BeforeEach
    void useManagementPort() {
        com.revshare.reporting.it.OpsUrls.use(managementRoot);
    }

    private static final String PERIOD = "2026-05";

    @Inject
    KafkaClients clients;
    @Inject
    EntryApplier applier;
    @Inject
    TopicsConfig topics;
    @Inject
    ReportingConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    HeldRecordMetrics held;
    @Inject
    AgroalDataSource dataSource;

    private LedgerEntriesConsumer secondInstance() {
        LedgerEntriesConsumer second = new LedgerEntriesConsumer(clients, applier, topics, config, registry, held);
        second.start(null);
        return second;
    }

    private int groupMembers() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            return admin.describeConsumerGroups(List.of(config.consumer().groupId())).all().get()
                    .get(config.consumer().groupId()).members().size();
        }
    }

    private static String total(String partner) {
        return given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + partner + "/statements/" + PERIOD).then().statusCode(200)
                .extract().jsonPath().getString("total");
    }

    @Test
    void twoInstancesShareThePartitionsAndRebalancesMidStreamNeitherLoseNorDouble() throws Exception {
        // given 8 partners and a second instance in the same group
        long seed = System.nanoTime();
        System.out.println("ConsumerFaultsTest seed " + seed);
        Random random = new Random(seed);
        int partners = 8;
        int perPartner = 600;
        List<String> ids = new ArrayList<>();
        BigDecimal[] expected = new BigDecimal[partners];
        List<List<EntryFixtures.Entry>> entries = new ArrayList<>();
        for (int i = 0; i < partners; i++) {
            String id = "two-inst-" + i;
            ids.add(id);
            Publisher.partner(id, "USD");
            expected[i] = BigDecimal.ZERO.setScale(8);
            List<EntryFixtures.Entry> list = new ArrayList<>();
            for (long s = 1; s <= perPartner; s++) {
                String amount = new BigDecimal(1 + random.nextInt(1_000_000)).movePointLeft(8).toPlainString();
                expected[i] = expected[i].add(new BigDecimal(amount));
                list.add(EntryFixtures.usage(id, s, PERIOD, "m", "requests", 1, amount, null, "USD"));
            }
            entries.add(list);
        }
        LedgerEntriesConsumer second = secondInstance();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> groupMembers() == 2);

            // when the entries stream in while the second instance leaves and joins again (rebalances)
            int rounds = 6;
            int chunk = perPartner / rounds;
            for (int r = 0; r < rounds; r++) {
                List<EntryFixtures.Entry> batch = new ArrayList<>();
                for (List<EntryFixtures.Entry> list : entries) {
                    batch.addAll(list.subList(r * chunk, (r + 1) * chunk));
                }
                Publisher.entries(batch);
                if (r == 1 || r == 3) {
                    second.stop(null);
                } else if (r == 2 || r == 4) {
                    second = secondInstance();
                }
            }

            // then every partner has every entry exactly once
            for (int i = 0; i < partners; i++) {
                Publisher.awaitApplied(ids.get(i), perPartner);
                assertEquals(expected[i].toPlainString(), total(ids.get(i)), ids.get(i) + " (seed " + seed + ")");
                assertEquals(perPartner, entryRows(ids.get(i)), ids.get(i) + " entry rows");
            }
        } finally {
            second.stop(null);
        }
    }

    @Test
    void everyPooledConnectionBrokenAtOnceStopsNeitherConsumer() throws Exception {
        // given both consumers running
        String p = "db-crash";
        Publisher.partner(p, "USD");
        Publisher.entries(EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD"));
        Publisher.awaitApplied(p, 1);

        // when every connection of the pool is terminated by the server, as a PostgreSQL crash does
        terminateEveryOtherBackend();

        // then both consumers go on: entries apply, the registry takes a new partner, readiness is UP
        Publisher.entries(EntryFixtures.usage(p, 2, PERIOD, "m", "requests", 1, "2.00000000", null, "USD"));
        Publisher.partner("db-crash-new", "EUR");
        Publisher.awaitApplied(p, 2);
        Publisher.awaitPartner("db-crash-new");
        assertEquals("3.00000000", total(p));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get(
                com.revshare.reporting.it.OpsUrls.management("/q/health/ready")).statusCode() == 200);
    }

    private void terminateEveryOtherBackend() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(pg_terminate_backend(pid)) from "
                        + "pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            assertTrue(rs.getLong(1) >= 0);
        }
    }

    private long entryRows(String partnerId) {
        Map<String, Object> page;
        long count = 0;
        String cursor = null;
        do {
            var req = given().auth().oauth2(TestTokens.finance()).queryParam("limit", 1000);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            page = req.get("/api/v1/reports/partners/" + partnerId + "/entries").then().statusCode(200).extract()
                    .jsonPath().getMap("$");
            count += ((List<?>) page.get("entries")).size();
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return count;
    }
}
