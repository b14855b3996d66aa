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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in a child JVM, started
 * from the {@code kafka_2.13} artifacts whose classpath the revshare-kafka-broker module
 * records. The data directory survives a restart when it is kept (local runs); tests give it a
 * temporary one. The child is killed by a shutdown hook of this JVM.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CLASSPATH_RESOURCE = "revshare/kafka-broker.classpath";

    private final Path dataDir;
    private final int port;
    private final List<String> command;
    private volatile Process process;

    private EmbeddedKafka(Path dataDir, int port, List<String> command, Process process) {
        this.dataDir = dataDir;
        this.port = port;
        this.command = List.copyOf(command);
        this.process = process;
    }

    /** Starts a broker on {@code port} (0 = a free one) keeping its logs under {@code dataDir}. */
    public static EmbeddedKafka start(Path dataDir, int port, Duration readyTimeout) {
        try {
            Files.createDirectories(dataDir);
            int brokerPort = Ports.orFree(port);
            int controllerPort = Ports.free();
            Path logDir = dataDir.resolve("logs");
            Path config = dataDir.resolve("server.properties");
            Files.writeString(config, serverProperties(brokerPort, controllerPort, logDir));
            String classpath = brokerClasspath();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path output = dataDir.resolve("broker.log");

            if (!Files.exists(logDir.resolve("meta.properties"))) {
                Process format = new ProcessBuilder(java, "-Xmx128m", "-cp", classpath, "kafka.tools.StorageTool",
                        "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dataDir.resolve("format.log").toFile())
                        .start();
                if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IllegalStateException("kafka storage format failed, see " + dataDir.resolve("format.log"));
                }
            }
            List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                    "-Dkafka.logs.dir=" + dataDir, "-cp", classpath, "kafka.Kafka", config.toString()));
            Process process = launch(command, output);
            EmbeddedKafka kafka = new EmbeddedKafka(dataDir, brokerPort, command, process);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(kafka.process), "kafka-broker-stop"));
            System.out.printf("[revshare-infra] Kafka broker (pid %d) starting on 127.0.0.1:%d, data %s%n",
                    process.pid(), brokerPort, dataDir);
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
        return new ProcessBuilder(command)
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

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
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

    private static String serverProperties(int brokerPort, int controllerPort, Path logDir) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop(process);
    }
}
