package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The Kafka broker and PostgreSQL server one JVM's tests run against, started once per JVM.
 * <ul>
 * <li>default: a broker in a child JVM and zonky's PostgreSQL, no Docker needed;</li>
 * <li>{@code -Drevshare.infra=testcontainers} (or env {@code REVSHARE_INFRA}): Testcontainers, where Docker is present;</li>
 * <li>env {@code REVSHARE_KAFKA_BOOTSTRAP} and/or {@code REVSHARE_PG_URL} (+ {@code REVSHARE_PG_USER},
 * {@code REVSHARE_PG_PASSWORD}): an existing cluster or server.</li>
 * </ul>
 * The addresses are also published as system properties, so a second class loader in the same
 * JVM (Quarkus tests load classes twice) attaches to the same processes instead of starting more.
 */
public final class Infrastructure {
    private static final String PROP_KAFKA = "revshare.infra.kafka";
    private static final String PROP_PG_URL = "revshare.infra.pg.url";
    private static final String PROP_PG_USER = "revshare.infra.pg.user";
    private static final String PROP_PG_PASSWORD = "revshare.infra.pg.password";
    private static final String PROP_JWT_DIR = "revshare.infra.jwt.dir";
    /** Generous: on the shared build machine (two cores, load average far above 2 at times) a broker took over 90 s. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private static Infrastructure shared;

    private final String kafkaBootstrap;
    private final String pgServerUrl;
    private final String pgUser;
    private final String pgPassword;
    private final JwtKeys jwt;

    private Infrastructure(String kafkaBootstrap, String pgServerUrl, String pgUser, String pgPassword, JwtKeys jwt) {
        this.kafkaBootstrap = kafkaBootstrap;
        this.pgServerUrl = pgServerUrl;
        this.pgUser = pgUser;
        this.pgPassword = pgPassword;
        this.jwt = jwt;
    }

    /** The JVM's infrastructure, started on first use. */
    public static synchronized Infrastructure shared() {
        if (shared == null) {
            shared = System.getProperty(PROP_KAFKA) != null ? attach() : startForTests();
        }
        return shared;
    }

    private static Infrastructure attach() {
        return new Infrastructure(System.getProperty(PROP_KAFKA), System.getProperty(PROP_PG_URL),
                System.getProperty(PROP_PG_USER), System.getProperty(PROP_PG_PASSWORD),
                JwtKeys.loadOrCreate(Path.of(System.getProperty(PROP_JWT_DIR))));
    }

    private static Infrastructure startForTests() {
        try {
            Path work = Files.createTempDirectory("revshare-infra-");
            String mode = System.getProperty("revshare.infra",
                    System.getenv().getOrDefault("REVSHARE_INFRA", "embedded")).toLowerCase(Locale.ROOT);
            String kafka = System.getenv("REVSHARE_KAFKA_BOOTSTRAP");
            String pgUrl = System.getenv("REVSHARE_PG_URL");
            String pgUser = System.getenv().getOrDefault("REVSHARE_PG_USER", "postgres");
            String pgPassword = System.getenv().getOrDefault("REVSHARE_PG_PASSWORD", "postgres");
            if ("testcontainers".equals(mode)) {
                ContainerInfrastructure containers = ContainerInfrastructure.start();
                kafka = kafka != null ? kafka : containers.kafkaBootstrap();
                if (pgUrl == null) {
                    pgUrl = containers.pgServerUrl();
                    pgUser = containers.pgUser();
                    pgPassword = containers.pgPassword();
                }
            } else {
                EmbeddedKafka embeddedKafka = null;
                EmbeddedPostgresServer embeddedPg = null;
                if (kafka == null) {
                    embeddedKafka = EmbeddedKafka.start(work.resolve("kafka"), 0, READY_TIMEOUT);
                    kafka = embeddedKafka.bootstrapServers();
                }
                if (pgUrl == null) {
                    embeddedPg = EmbeddedPostgresServer.start(work.resolve("pg"), 0, false);
                    pgUrl = embeddedPg.serverUrl();
                    pgUser = "postgres";
                    pgPassword = "postgres";
                }
                removeOnExit(work, embeddedKafka, embeddedPg);
            }
            JwtKeys jwt = JwtKeys.loadOrCreate(work.resolve("jwt"));
            System.setProperty(PROP_KAFKA, kafka);
            System.setProperty(PROP_PG_URL, pgUrl);
            System.setProperty(PROP_PG_USER, pgUser);
            System.setProperty(PROP_PG_PASSWORD, pgPassword);
            System.setProperty(PROP_JWT_DIR, jwt.directory().toString());
            Infrastructure infra = new Infrastructure(kafka, pgUrl, pgUser, pgPassword, jwt);
            infra.ensureTopics(Topics.ALL);
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the test processes, then deletes their temporary data, so test runs leave nothing behind. */
    private static void removeOnExit(Path work, EmbeddedKafka kafka, EmbeddedPostgresServer pg) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (kafka != null) {
                kafka.close();
            }
            if (pg != null) {
                pg.close();
            }
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException e) {
                System.err.println("[revshare-infra] could not delete " + work + ": " + e.getMessage());
            }
        }, "revshare-infra-cleanup"));
    }

    /** For a launcher that started its own processes (the local run). */
    public static Infrastructure of(String kafkaBootstrap, String pgServerUrl, String pgUser, String pgPassword,
            JwtKeys jwt) {
        return new Infrastructure(kafkaBootstrap, pgServerUrl, pgUser, pgPassword, jwt);
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public String pgUser() {
        return pgUser;
    }

    public String pgPassword() {
        return pgPassword;
    }

    public JwtKeys jwt() {
        return jwt;
    }

    public String jdbcUrl(String database) {
        return pgServerUrl + "/" + database;
    }

    /** Creates the database if it does not exist and returns its JDBC URL. */
    public String createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("bad database name " + database);
        }
        try (Connection c = DriverManager.getConnection(pgServerUrl + "/postgres", pgUser, pgPassword);
                Statement s = c.createStatement()) {
            try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                if (!rs.next()) {
                    s.execute("create database " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
        return jdbcUrl(database);
    }

    /**
     * Makes {@code database} unreachable until the returned outage is closed: new connections are
     * refused and open ones ended (see {@link DatabaseOutage}); the server and its other databases
     * keep running. For tests of a service's readiness and recovery without its database.
     */
    public DatabaseOutage databaseOutage(String database) {
        return DatabaseOutage.begin(pgServerUrl, pgUser, pgPassword, database);
    }

    /** Creates the given topics, leaving those that exist; waits until the broker has them all. */
    public void ensureTopics(List<Topics.Spec> specs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Spec spec : specs) {
                topics.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
            }
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name, e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot create topic " + name, e);
                }
            });
            awaitDescribable(admin, specs.stream().map(Topics.Spec::name).toList());
        } catch (Exception e) {
            throw new IllegalStateException("topics not ready", e);
        }
    }

    /**
     * A topic just created may not be in the metadata every broker path answers from yet: on a
     * loaded machine describe fails with UnknownTopicOrPartitionException for a moment. Retry it.
     */
    private static void awaitDescribable(Admin admin, List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The Quarkus properties that point a service at this infrastructure and its database. */
    public Map<String, String> quarkusConfig(String database) {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrap,
                "quarkus.datasource.jdbc.url", createDatabase(database),
                "quarkus.datasource.username", pgUser,
                "quarkus.datasource.password", pgPassword,
                "mp.jwt.verify.publickey.location", jwt.publicKeyPath().toString());
    }
}
