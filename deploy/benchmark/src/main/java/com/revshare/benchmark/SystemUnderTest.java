package com.revshare.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.revshare.infra.EmbeddedKafka;
import com.revshare.infra.EmbeddedPostgresServer;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.JwtKeys;
import com.revshare.infra.Ports;
import com.revshare.infra.ProjectFiles;
import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * The system the benchmark measures: either started by it (a broker in a child JVM, zonky's
 * PostgreSQL, the three services from their built jars, each in its own JVM on free ports, as
 * the local run starts them) or a running one it only targets. Knows the processes' pids for
 * CPU and memory figures and can freeze and resume a service it started (stage phase). With
 * --instances N it starts N instances of each service, each on its own free ports, all of them
 * on the service's one database and in its consumer groups (as deploy/chaos does); a service's
 * CPU and memory are then the sums over its instances.
 */
final class SystemUnderTest implements AutoCloseable {
    static final List<String> SERVICES = List.of("ingest", "ledger", "reporting");

    final Infrastructure infra;
    final boolean managed;
    /** Each service's base URLs, one per instance. */
    final Map<String, List<String>> urls = new LinkedHashMap<>();
    final String reportingDb;
    private final Options options;
    private final Path logDir;
    private final Map<String, List<ServiceProcess>> services = new LinkedHashMap<>();
    private final java.util.Set<String> paused = new java.util.LinkedHashSet<>();
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    private Path pgDataDir;

    private SystemUnderTest(Infrastructure infra, boolean managed, String reportingDb, Options options, Path logDir) {
        this.infra = infra;
        this.managed = managed;
        this.reportingDb = reportingDb;
        this.options = options;
        this.logDir = logDir;
    }

    /** Starts the broker and PostgreSQL under {@code work} (services come later, see {@link #startServices()}). */
    static SystemUnderTest start(Options options, Path work, Path logDir) {
        Path pgData = work.resolve("postgres");
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(pgData, 0, options.durable);
        EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, Duration.ofSeconds(90));
        JwtKeys jwt = JwtKeys.loadOrCreate(work.resolve("jwt"));
        Infrastructure infra = Infrastructure.of(kafka.bootstrapServers(), pg.serverUrl(), "postgres", "postgres", jwt);
        infra.ensureTopics(Topics.ALL);
        SystemUnderTest sut = new SystemUnderTest(infra, true, "bench_reporting", options, logDir);
        sut.kafka = kafka;
        sut.postgres = pg;
        sut.pgDataDir = pgData;
        return sut;
    }

    /** A running system: its URLs, broker, PostgreSQL server and the key pair its services trust. */
    static SystemUnderTest target(Options options, Path logDir) {
        Path jwtDir = options.jwtDir != null ? options.jwtDir : ProjectFiles.root().resolve(".revshare/jwt");
        JwtKeys jwt = JwtKeys.loadOrCreate(jwtDir);
        Infrastructure infra = Infrastructure.of(options.kafka, options.pgUrl, options.pgUser, options.pgPassword, jwt);
        SystemUnderTest sut = new SystemUnderTest(infra, false, options.reportingDb, options, logDir);
        options.targetUrls.forEach((service, url) -> sut.urls.put(service, List.of(url)));
        return sut;
    }

    /** Starts the services' instances (managed mode) and waits until each is ready. */
    void startServices() {
        for (String s : SERVICES) {
            launch(s);
        }
        for (String s : SERVICES) {
            for (ServiceProcess p : services.get(s)) {
                p.awaitReady(Duration.ofSeconds(180 + 60L * (options.instances - 1)));
            }
        }
    }

    private void launch(String service) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
        props.put("quarkus.datasource.jdbc.url", infra.createDatabase("bench_" + service));
        props.put("quarkus.datasource.username", infra.pgUser());
        props.put("quarkus.datasource.password", infra.pgPassword());
        props.put("mp.jwt.verify.publickey.location", infra.jwt().publicKeyPath().toString());
        props.putAll(options.serviceProps);
        String module = service + "-service";
        List<ServiceProcess> instances = new java.util.ArrayList<>();
        List<String> bases = new java.util.ArrayList<>();
        for (int i = 1; i <= options.instances; i++) {
            // one instance keeps the module's name (its log is <module>.log, as before); more are <module>-<i>
            String name = options.instances == 1 ? module : module + "-" + i;
            ServiceProcess p = ServiceProcess.start(name, module, Ports.free(), 0, props, options.serviceJvm, logDir);
            instances.add(p);
            bases.add(p.baseUrl());
        }
        services.put(service, instances);
        urls.put(service, List.copyOf(bases));
    }

    /**
     * Freezes a service it started (SIGSTOP): no CPU, no consumption, its JVM stays warm. Used to
     * let one stage work alone on a backlog without the restart's boot and JIT warm-up.
     */
    void pause(String service) {
        requireManaged();
        for (ServiceProcess p : services.get(service)) {
            signal(p.pid(), "-STOP");
        }
        paused.add(service);
    }

    /** Lets a frozen service go on (SIGCONT). */
    void resume(String service) {
        requireManaged();
        for (ServiceProcess p : services.get(service)) {
            signal(p.pid(), "-CONT");
        }
        paused.remove(service);
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill " + signal + " " + pid + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean canIsolateStages() {
        return managed;
    }

    private void requireManaged() {
        if (!managed) {
            throw new IllegalStateException("only a system the benchmark started can be stopped and restarted");
        }
    }

    /** Each service's running JVMs' pids (empty when unknown). */
    Map<String, List<Long>> servicePids() {
        Map<String, List<Long>> pids = new LinkedHashMap<>();
        for (String s : SERVICES) {
            List<Long> list = new java.util.ArrayList<>();
            if (managed) {
                for (ServiceProcess p : services.getOrDefault(s, List.of())) {
                    if (p.isAlive()) {
                        list.add(p.pid());
                    }
                }
            } else {
                long pid = ProcStats.listeningPid(java.net.URI.create(urls.get(s).get(0)).getPort());
                if (pid != 0) {
                    list.add(pid);
                }
            }
            pids.put(s, list);
        }
        return pids;
    }

    /**
     * Every instance's pid by name ("ingest", or "ingest", "ingest-2", … with several; 0 when it
     * is not running): the names of its profile recordings.
     */
    Map<String, Long> serviceInstancePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String s : SERVICES) {
            if (managed) {
                List<ServiceProcess> list = services.getOrDefault(s, List.of());
                for (int i = 0; i < list.size(); i++) {
                    pids.put(i == 0 ? s : s + "-" + (i + 1), list.get(i).isAlive() ? list.get(i).pid() : 0L);
                }
            } else {
                pids.put(s, ProcStats.listeningPid(java.net.URI.create(urls.get(s).get(0)).getPort()));
            }
        }
        return pids;
    }

    /** The processes whose CPU and memory the benchmark reports, by name; a supplier since pids change. */
    Map<String, Supplier<List<Long>>> processGroups() {
        Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>();
        if (managed) {
            long brokerPid = kafka.pid();
            groups.put("kafka", () -> List.of(brokerPid));
            groups.put("postgresql", ProcStats.postgres(pgDataDir));
        } else {
            // by the ports the target listens on: other brokers and servers may run on the same machine
            long brokerPid = ProcStats.listeningPid(port(options.kafka.substring(options.kafka.lastIndexOf(':') + 1)));
            long postmaster = ProcStats.listeningPid(java.net.URI.create(options.pgUrl.substring("jdbc:".length())).getPort());
            groups.put("kafka", () -> brokerPid == 0 ? List.of() : List.of(brokerPid));
            groups.put("postgresql", () -> postmaster == 0 ? List.of() : ProcStats.withChildren(postmaster));
        }
        for (String s : SERVICES) {
            groups.put(s, () -> servicePids().get(s));
        }
        return groups;
    }

    private static int port(String text) {
        return Integer.parseInt(text.replaceAll("[^0-9]", ""));
    }

    Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        for (String s : List.copyOf(paused)) {
            resume(s); // a frozen JVM would not handle SIGTERM
        }
        services.values().forEach(list -> list.forEach(ServiceProcess::stop));
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
