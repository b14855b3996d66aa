package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from zonky's binaries. A kept data directory survives restarts
 * (local runs); tests give it a fresh one. For fault tests the server can be crashed
 * ({@link #crash()}: an immediate shutdown, as {@code pg_ctl stop -m immediate}) and
 * {@link #restart(Duration) restarted} on the same port and data directory, where it runs
 * crash recovery from its WAL.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    /** The postmaster's command line, taken from the first start, to start it again identically. */
    private final List<String> command;
    private volatile ProcessHandle postmaster;
    private volatile Process restarted;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.postmaster = postmasterOf(dataDir);
        this.command = postmaster == null ? List.of() : commandLine(postmaster);
    }

    /** The running postmaster of a data directory: the first line of its {@code postmaster.pid}. */
    private static ProcessHandle postmasterOf(Path dataDir) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? null : ProcessHandle.of(Long.parseLong(lines.get(0).trim())).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /**
     * Starts a server; a kept data directory ({@code keepData}) is fully durable, a test one trades
     * durability for speed (no fsync, asynchronous commit: a crash may lose the last commits).
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean keepData) {
        return start(dataDir, port, keepData, keepData);
    }

    /**
     * A fresh server that survives a process crash ({@link #crash()}) with every acknowledged commit
     * ({@code synchronous_commit=on}) but not a machine crash ({@code fsync=off}): what fault tests
     * of the services need, at a fraction of the cost of fsync.
     */
    public static EmbeddedPostgresServer startCrashSafe(Path dataDir, int port) {
        return start(dataDir, port, false, true);
    }

    private static EmbeddedPostgresServer start(Path dataDir, int port, boolean keepData, boolean synchronousCommit) {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setPort(Ports.orFree(port))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("synchronous_commit", synchronousCommit ? "on" : "off")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, dataDir);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-stop"));
            System.out.printf("[revshare-infra] PostgreSQL started on 127.0.0.1:%d, data %s%n", pg.getPort(), dataDir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    private static List<String> commandLine(ProcessHandle handle) {
        String[] args = handle.info().arguments().orElse(null);
        String exe = handle.info().command().orElse(null);
        if (exe == null || args == null) {
            return List.of();
        }
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; zonky starts it in a new user namespace, so do we
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(exe);
        command.addAll(List.of(args));
        return command;
    }

    /** {@code jdbc:postgresql://127.0.0.1:port} without a database name. */
    public String serverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort();
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The postmaster's pid, or -1 when it is not running. */
    public long pid() {
        ProcessHandle current = postmaster;
        return current != null && current.isAlive() ? current.pid() : -1;
    }

    /**
     * A database crash: an immediate shutdown (SIGQUIT to the postmaster, what
     * {@code pg_ctl stop -m immediate} sends): every backend is ended at once, no checkpoint, open
     * transactions are lost, committed ones survive through the WAL. Waits until the postmaster
     * is gone.
     */
    public void crash() {
        ProcessHandle current = requirePostmaster();
        Signals.send(current.pid(), "QUIT");
        try {
            current.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Signals.send(current.pid(), "KILL");
            throw new IllegalStateException("PostgreSQL did not stop on SIGQUIT; killed", e);
        }
    }

    /**
     * Starts the postmaster again with its first command line (same binaries, data directory,
     * port and settings) and waits until it accepts connections; it replays its WAL first.
     */
    public synchronized void restart(Duration readyTimeout) {
        if (command.isEmpty()) {
            throw new IllegalStateException("the postmaster's command line is unknown: cannot restart");
        }
        ProcessHandle current = postmaster;
        if (current != null && current.isAlive()) {
            throw new IllegalStateException("PostgreSQL is running (pid " + current.pid() + ")");
        }
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dataDir.resolveSibling(dataDir.getFileName() + "-restarts.log").toFile()))
                    .start();
            restarted = process;
            postmaster = process.toHandle();
            System.out.printf("[revshare-infra] PostgreSQL (pid %d) restarting on 127.0.0.1:%d, data %s%n",
                    process.pid(), port(), dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitAcceptingConnections(readyTimeout);
    }

    private void awaitAcceptingConnections(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!postmaster.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited during restart (" + String.join(" ", command)
                        + "): " + tail(dataDir.resolveSibling(dataDir.getFileName() + "-restarts.log")));
            }
            try (Connection c = DriverManager.getConnection(serverUrl() + "/postgres", "postgres", "postgres")) {
                c.createStatement().execute("select 1");
                System.out.printf("[revshare-infra] PostgreSQL ready again on 127.0.0.1:%d%n", port());
                return;
            } catch (SQLException e) {
                last = e; // refused, or "the database system is starting up"
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        throw new IllegalStateException("PostgreSQL not accepting connections within " + timeout, last);
    }

    private static String tail(Path file) {
        try {
            String text = java.nio.file.Files.readString(file);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private ProcessHandle requirePostmaster() {
        ProcessHandle current = postmaster;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("PostgreSQL is not running");
        }
        return current;
    }

    @Override
    public synchronized void close() {
        try {
            postgres.close(); // pg_ctl stop on the data directory: stops a restarted postmaster too
        } catch (IOException | RuntimeException e) {
            System.err.println("[revshare-infra] PostgreSQL stop failed: " + e.getMessage());
        }
        Process process = restarted;
        if (process != null) {
            Signals.terminate(process, Duration.ofSeconds(15));
        }
    }
}
