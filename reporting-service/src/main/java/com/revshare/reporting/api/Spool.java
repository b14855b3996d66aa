package com.revshare.reporting.api;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

import com.revshare.reporting.application.ApiProblem;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A large answer (statement JSON or CSV, summary) is first written to a file at the database's
 * pace, with its read-pool connection and its caller's read slot held only for that; then the file
 * is sent at the client's pace by the HTTP layer's {@code sendfile}, without a connection or a
 * worker thread (issue 12.4: a slow reader cannot starve anyone). The file is deleted when the
 * response ends, or is cut off. Memory stays flat whatever the size; disk is bounded per answer
 * by {@code revshare.reporting.reads.spool-max-bytes}.
 */
final class Spool {
    private static final Logger LOG = Logger.getLogger(Spool.class);
    private static Path directory;

    private Spool() {
    }

    /** Writes the answer's bytes. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The answer spooled, as a 200 of {@code type}; the file is removed when {@code routing}'s response ends. */
    static Response.ResponseBuilder ok(RoutingContext routing, MediaType type, long maxBytes, Body body)
            throws IOException {
        Path file = Files.createTempFile(directory(), "answer-", ".tmp");
        try (OutputStream out = new Limited(new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024),
                maxBytes)) {
            body.writeTo(out);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(file);
            throw e;
        }
        routing.addEndHandler(done -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("cannot delete spooled answer %s: %s", file, e.toString());
            }
        });
        return Response.ok(file, type);
    }

    private static synchronized Path directory() throws IOException {
        if (directory == null || !Files.isDirectory(directory)) {
            directory = Files.createTempDirectory("revshare-reporting-spool-");
            directory.toFile().deleteOnExit();
        }
        return directory;
    }

    /** Refuses to write past the limit, so one answer cannot fill the disk. */
    private static final class Limited extends FilterOutputStream {
        private final long maxBytes;
        private long written;

        Limited(OutputStream out, long maxBytes) {
            super(out);
            this.maxBytes = maxBytes;
        }

        @Override
        public void write(int b) throws IOException {
            count(1);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count(len);
            out.write(b, off, len);
        }

        private void count(long n) {
            written += n;
            if (written > maxBytes) {
                throw new ApiProblem(500, "about:blank", "Internal Server Error", "the answer is larger than "
                        + maxBytes + " bytes (revshare.reporting.reads.spool-max-bytes); narrow the request",
                        Map.of());
            }
        }
    }
}
