package com.revshare.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in a child JVM, started
 * from the {@code kafka_2.13} artifacts whose classpath the revshare-kafka-broker module
 * records. The data directory survives a restart when it is kept (local runs); tests give it a
 * temporary one. The child is killed by a shutdown hook of this JVM.
 * <p>
 * {@link #startSecured(Path, Duration)} starts it as production runs it (deploy/kafka/acls.md): clients
 * authenticate with SASL/SCRAM-SHA-512 on a {@code SASL_PLAINTEXT} listener and every request is checked by
 * the standard KRaft authorizer ({@value #AUTHORIZER}), which denies whatever no ACL allows. The
 * infrastructure's own super user ({@value #SUPER_USER}, a random password) is bootstrapped into the
 * metadata log when the storage is formatted (KIP-900, {@code --add-scram}), so the broker can authenticate
 * its own inter-broker connection before anyone could call {@code alterUserScramCredentials}. The KRaft
 * controller listener stays plaintext on 127.0.0.1: KRaft controllers cannot use SCRAM (credentials live in
 * the metadata they serve), so its principal {@code User:ANONYMOUS} is a super user too, as the Kafka
 * documentation's KRaft examples do; it is not an advertised listener and answers only controller APIs.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /**
     * The broker's JVM: a 192 MB heap (a run of 2026-11-27 at 66,000 records/s grew a 384 MB heap to
     * its limit and the broker's RSS to 444 MB, more than any service), the serial collector (one
     * broker on two cores), and a bounded code cache and metaspace, so that the process's peak stays
     * predictable. Override with {@code -Drevshare.kafka.jvm="..."}.
     */
    static final List<String> BROKER_JVM = List.of(System.getProperty("revshare.kafka.jvm",
            "-Xms32m -Xmx192m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=48m -XX:MaxMetaspaceSize=96m")
            .trim().split("\\s+"));

    private static final String CLASSPATH_RESOURCE = "revshare/kafka-broker.classpath";
    /** The SASL mechanism of a secured broker. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    /** The authorizer of a secured broker: KRaft's standard one, deny unless an ACL allows. */
    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    /** The infrastructure's own principal on a secured broker (creates topics, users and ACLs). */
    public static final String SUPER_USER = "revshare-infra";

    private final Path dataDir;
    private final int port;
    private final List<String> command;
    private final String superUserPassword;
    private volatile Process process;

    private EmbeddedKafka(Path dataDir, int port, List<String> command, Process process, String superUserPassword) {
        this.dataDir = dataDir;
        this.port = port;
        this.command = List.copyOf(command);
        this.process = process;
        this.superUserPassword = superUserPassword;
    }

    /** Starts a broker on {@code port} (0 = a free one) keeping its logs under {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port, Duration readyTimeout) {
        return start(dataDir, port, readyTimeout, null);
    }

    /**
     * Starts a broker with SASL/SCRAM-SHA-512 authentication and the standard authorizer on a free port
     * under {@code dataDir} (a fresh directory: the super user's credential is bootstrapped when the storage
     * is formatted). Clients connect with {@link #clientProperties(String, String)}; the infrastructure's
     * own {@link #admin()} is the super user.
     */
    public static EmbeddedKafka startSecured(Path dataDir, Duration readyTimeout) {
        return start(dataDir, 0, readyTimeout, UUID.randomUUID().toString().replace("-", ""));
    }

    private static EmbeddedKafka start(Path dataDir, int port, Duration readyTimeout, String superUserPassword) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = Ports.orFree(port);
            int controllerPort = Ports.free();
            Path logDir = dataDir.resolve("logs");
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(brokerPort, controllerPort, logDir, superUserPassword));
            String classpath = brokerClasspath();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path output = dataDir.resolve("broker.log");

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                List<String> formatCommand = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", classpath,
                        "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                        config.toString()));
                if (superUserPassword != null) {
                    formatCommand.addAll(List.of("--add-scram",
                            SCRAM_MECHANISM + "=[name=" + SUPER_USER + ",password=" + superUserPassword + "]"));
                }
                Process format = new ProcessBuilder(formatCommand)
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("format.log").toFile())
                        .start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IllegalStateException("kafka storage format failed, see " + dataDir.resolve("format.log"));
                }
            }
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(BROKER_JVM);
            command.addAll(List.of("-Dkafka.logs.dir=" + dataDir, "-cp", classpath, "kafka.Kafka", config.toString()));
            Process process = launch(command, output);
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, brokerPort, command, process, superUserPassword);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(kafka.process), "kafka-broker-stop"));
            System.out.printf("[revshare-infra] Kafka broker (pid %d) starting on 127.0.0.1:%d%s, data %s%n",
                    process.pid(), brokerPort, superUserPassword == null ? "" : " (SASL/SCRAM + ACLs)", dataDir);
            kafka.awaitReady(readyTimeout);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process launch(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Launch.leanNativeMemory(builder);
        return builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
    }

    /**
     * A broker crash: {@code kill -9} of the broker's JVM, no controlled shutdown, no log flush.
     * Waits until the process is gone.
     */
    public void kill() {
        Process current = process;
        current.destroyForcibly();
        try {
            current.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the broker again on the same port, controller port and log directory (after
     * {@link #kill()} or {@link #close()}; a running broker is stopped first) and waits until it
     * answers. An unclean stop makes it recover its logs first, which takes longer on big logs.
     */
    public synchronized void restart(Duration readyTimeout) {
        if (process.isAlive()) {
            stop(process);
        }
        try {
            process = launch(command, dataDir.resolve("broker.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("[revshare-infra] Kafka broker (pid %d) restarting on 127.0.0.1:%d, data %s%n",
                process.pid(), port, dataDir);
        awaitReady(readyTimeout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Whether clients must authenticate (SASL/SCRAM) and pass the authorizer. */
    public boolean isSecured() {
        return superUserPassword != null;
    }

    /**
     * The client properties that connect as {@code user} with {@code password} (SASL/SCRAM-SHA-512 on a
     * secured broker); on an unsecured broker only {@code bootstrap.servers}. Usable for any client, and
     * as {@code kafka.*} properties of a service.
     */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (isSecured()) {
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            p.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"" + user + "\" password=\"" + password + "\";");
        }
        return p;
    }

    /** The infrastructure's own client properties: the super user on a secured broker. */
    public Map<String, String> superUserProperties() {
        return clientProperties(SUPER_USER, superUserPassword);
    }

    /** An admin client of the super user (the caller closes it). */
    public Admin admin() {
        Properties props = new Properties();
        props.putAll(superUserProperties());
        return Admin.create(props);
    }

    /**
     * Creates (or replaces) the SCRAM-SHA-512 credential of {@code user} ({@code alterUserScramCredentials}),
     * as an operator does with {@code kafka-configs.sh --add-config 'SCRAM-SHA-512=[password=…]'}.
     */
    public void createScramUser(String user, String password) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create SCRAM user " + user, e);
        }
    }

    /** Adds ACL bindings ({@code kafka-acls.sh --add}) and waits until the broker has them. */
    public void addAcls(Collection<AclBinding> bindings) {
        requireSecured();
        try (Admin admin = admin()) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create ACLs " + bindings, e);
        }
    }

    /** Creates the topics (as the super user), leaving those that exist. */
    public void createTopics(List<Topics.Spec> specs) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Spec spec : specs) {
                topics.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
            }
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("topics not created in time", e);
        }
    }

    private void requireSecured() {
        if (!isSecured()) {
            throw new IllegalStateException("this broker was not started with startSecured: no SCRAM, no ACLs");
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Properties props = new Properties();
        props.putAll(superUserProperties());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            Process current = process;
            if (!current.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + current.exitValue()
                        + ", see " + dataDir.resolve("broker.log"));
            }
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                System.out.printf("[revshare-infra] Kafka broker ready at %s%n", bootstrapServers());
                return;
            } catch (Exception e) {
                last = new IllegalStateException(e);
                sleepQuietly(200);
            }
        }
        throw new IllegalStateException("Kafka broker not ready within " + timeout, last);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String brokerClasspath() throws IOException {
        try (InputStream in = EmbeddedKafka.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " not found: build deploy/kafka-broker first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String serverProperties(int brokerPort, int controllerPort, Path logDir,
            String superUserPassword) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String broker = superUserPassword == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", broker + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", broker + "://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", broker);
        p.put("listener.security.protocol.map", broker + ":" + broker + ",CONTROLLER:PLAINTEXT");
        if (superUserPassword != null) {
            p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM_MECHANISM);
            p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + SUPER_USER
                            + "\" password=\"" + superUserPassword + "\";");
            p.put("authorizer.class.name", AUTHORIZER);
            p.put("allow.everyone.if.no.acl.found", "false");
            p.put("super.users", "User:" + SUPER_USER + ";User:ANONYMOUS");
        }
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "8388608");
        p.put("num.io.threads", "2");
        p.put("num.network.threads", "2");
        StringBuilder out = new StringBuilder();
        p.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out.toString();
    }

    private static void stop(Process process) {
        Signals.terminate(process, Duration.ofSeconds(15));
    }

    @Override
    public void close() {
        stop(process);
    }
}
