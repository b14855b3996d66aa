package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server from zonky's binaries. A kept data directory survives restarts
 * (local runs); tests give it a fresh one.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(Path dataDir, int port, boolean keepData) {
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setPort(Ports.orFree(port))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("synchronous_commit", keepData ? "on" : "off")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(pg), "postgres-stop"));
            System.out.printf("[revshare-infra] PostgreSQL started on 127.0.0.1:%d, data %s%n", pg.getPort(), dataDir);
            return new EmbeddedPostgresServer(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:port} without a database name. */
    public String serverUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort();
    }

    public int port() {
        return postgres.getPort();
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            System.err.println("[revshare-infra] PostgreSQL stop failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(postgres);
    }
}
