package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One revshare service running in its own JVM from its built {@code target/quarkus-app}, as the
 * end-to-end tests, the local launcher and the fault suite run them. Configuration is passed as
 * system properties; output goes to a log file. Each process has an API port and a management
 * port (SPEC §8 v2: {@code /q/health} and {@code /q/metrics} live there). A process can be
 * crashed ({@link #kill()}, SIGKILL), frozen and thawed ({@link #pause()}/{@link #resume()},
 * SIGSTOP/SIGCONT) and {@link #restart() restarted} with the same ports and properties.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String module;
    private final int httpPort;
    private final int managementPort;
    private final List<String> command;
    private final Path log;
    private volatile Process process;

    private ServiceProcess(String name, String module, int httpPort, int managementPort, List<String> command,
            Path log) {
        this.name = name;
        this.module = module;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.command = List.copyOf(command);
        this.log = log;
    }

    /** The runnable jar of a module, e.g. {@code ledger-service}, built by {@code mvn package}. */
    public static Path jarOf(String module) {
        Path jar = ProjectFiles.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " does not exist: build first (./mvnw -B install -DskipTests)");
        }
        return jar;
    }

    /**
     * Starts {@code module} with the given system properties on {@code httpPort} and a free
     * management port, logging to {@code logDir/<module>.log}; stopped by a shutdown hook of this JVM.
     */
    public static ServiceProcess start(String module, int httpPort, Map<String, String> properties,
            List<String> jvmOptions, Path logDir) {
        return start(module, module, httpPort, Ports.free(), properties, jvmOptions, logDir);
    }

    /**
     * Starts one instance of {@code module} named {@code name} (its log is {@code logDir/<name>.log},
     * so that several instances of one module keep separate logs) on {@code httpPort} and
     * {@code managementPort} (0 = a free one).
     */
    public static ServiceProcess start(String name, String module, int httpPort, int managementPort,
            Map<String, String> properties, List<String> jvmOptions, Path logDir) {
        return start(name, module, jarOf(module), httpPort, managementPort, properties, jvmOptions, logDir);
    }

    /**
     * As {@link #start(String, String, int, int, Map, List, Path)} from a given runnable jar, e.g.
     * a copy of {@code target/quarkus-app} taken with {@link #snapshotApp(String, Path)} so that a
     * rebuild of the module during a long run cannot change the code under test.
     */
    public static ServiceProcess start(String name, String module, Path jar, int httpPort, int managementPort,
            Map<String, String> properties, List<String> jvmOptions, Path logDir) {
        try {
            Files.createDirectories(logDir);
            int management = Ports.orFree(managementPort);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Map<String, String> props = new LinkedHashMap<>(properties);
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmOptions);
            command.add("-Dquarkus.http.port=" + httpPort);
            command.add("-Dquarkus.management.port=" + management);
            command.add("-Dquarkus.management.host=127.0.0.1");
            props.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add("-jar");
            command.add(jar.toString());
            ServiceProcess service = new ServiceProcess(name, module, httpPort, management, command,
                    logDir.resolve(name + ".log"));
            service.launch();
            Runtime.getRuntime().addShutdownHook(new Thread(service::stop, name + "-stop"));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies {@code <module>/target/quarkus-app} under {@code dir} and returns the copy's runnable
     * jar: restarts during a run then use the code the run started with.
     */
    public static Path snapshotApp(String module, Path dir) {
        Path source = jarOf(module).getParent();
        Path target = dir.resolve(module);
        try (var paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path copy = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source, e);
        }
        return target.resolve("quarkus-run.jar");
    }

    private synchronized void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Launch.leanNativeMemory(builder);
        process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        System.out.printf("[revshare-infra] %s (pid %d) starting on port %d, management port %d, log %s%n", name,
                process.pid(), httpPort, managementPort, log);
    }

    /**
     * Starts the service again with the same command line (ports, properties, JVM options) after
     * a {@link #kill()} or {@link #stop()}; a process still running is stopped first. Does not wait
     * for readiness: call {@link #awaitReady(Duration)}.
     */
    public synchronized ServiceProcess restart() {
        if (process.isAlive()) {
            stop();
        }
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Waits until {@code /q/health/ready} answers 200 on the management port (SPEC §8 v2: health is never
     * served on the API port).
     */
    public ServiceProcess awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process current = process;
            if (!current.isAlive()) {
                throw new IllegalStateException(name + " exited with " + current.exitValue() + ", see " + log);
            }
            if (isReady()) {
                System.out.printf("[revshare-infra] %s ready at %s (management %s)%n", name, baseUrl(),
                        managementUrl());
                return this;
            }
            pause(250);
        }
        throw new IllegalStateException(name + " not ready within " + timeout + ", see " + log);
    }

    /** Whether the service answers 200 on {@code /q/health/ready} of its management port now. */
    public boolean isReady() {
        return status(managementUrl() + "/q/health/ready") == 200;
    }

    /** The URL health and metrics answer on: the management port (kept for callers; same as {@link #managementUrl()}). */
    public String healthBaseUrl() {
        return managementUrl();
    }

    private static int status(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening (yet), or frozen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String name() {
        return name;
    }

    public String module() {
        return module;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Base URL of the management interface ({@code /q/health}, {@code /q/metrics}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Graceful stop (SIGTERM), forced after 20 s. A frozen process is thawed first so it can stop. */
    public void stop() {
        Process current = process;
        if (current.isAlive()) {
            Signals.send(current.pid(), "CONT");
            current.destroy();
            try {
                if (!current.waitFor(20, TimeUnit.SECONDS)) {
                    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                current.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A crash (SIGKILL, {@code kill -9}): no shutdown hooks, no flush — for tests of what survives. */
    public void kill() {
        Process current = process;
        current.destroyForcibly();
        try {
            current.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes the JVM ({@code kill -STOP}): it holds its connections but answers nothing, heartbeats stop. */
    public void pause() {
        Signals.send(process.pid(), "STOP");
    }

    /** Thaws a frozen JVM ({@code kill -CONT}). */
    public void resume() {
        Signals.send(process.pid(), "CONT");
    }

    @Override
    public void close() {
        stop();
    }
}
