package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** Readiness's expectations fail on an answer that does not meet them (against a real HTTP server on a free port). */
class ReadinessTest {
    private static final String UP = """
            {"status":"UP","checks":[{"name":"Kafka connection health check","status":"UP"},
            {"name":"Database connections health check","status":"UP"}]}""";
    private static final String DATABASE_DOWN = """
            {"status":"DOWN","checks":[{"name":"Kafka connection health check","status":"UP"},
            {"name":"Database connections health check","status":"DOWN"}]}""";
    private HttpServer server;

    private String serve(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/q/health/ready", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/q/health/ready";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void givenAServiceStillUp_whenDownIsExpected_thenTheExpectationFailsNamingWhatItGot() throws Exception {
        Readiness.Answer answer = Readiness.probe(serve(200, UP));

        AssertionError failed = assertThrows(AssertionError.class, () -> answer.expect(503, "DOWN",
                Readiness.DATABASE_CHECK, "DOWN", Readiness.KAFKA_CHECK, "UP"));

        assertTrue(failed.getMessage().contains("expected 503 DOWN"), failed.getMessage());
        assertTrue(failed.getMessage().contains("expected check 'Database connections health check' DOWN"),
                failed.getMessage());
    }

    @Test
    void givenTheDatabaseCheckDown_whenDownIsExpected_thenItHoldsAndUpDoesNot() throws Exception {
        Readiness.Answer answer = Readiness.probe(serve(503, DATABASE_DOWN));

        answer.expect(503, "DOWN", Readiness.DATABASE_CHECK, "DOWN", Readiness.KAFKA_CHECK, "UP");
        assertThrows(AssertionError.class, () -> answer.expect(200, "UP", Readiness.DATABASE_CHECK, "UP"));
        assertEquals("DOWN", answer.status());
        assertNull(answer.check("no such check"));
    }
}
