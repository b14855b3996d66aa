package com.revshare.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.revshare.infra.ServiceProcess;

/**
 * HTTP calls to the services, spread over a service's instances: a call that fails (connection
 * refused, timeout, 5xx — an instance down, frozen or without its database) goes to the other
 * instance, and again, until {@code patience} runs out.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** A status and body; status -1 when no answer came. */
    record Answer(int status, String body, String error) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    static Answer call(String method, String url, String token, String contentType, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), null);
        } catch (IOException e) {
            return new Answer(-1, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted");
        }
    }

    /**
     * Calls {@code path} on the instances in turn until one answers something other than a
     * connection failure or a 5xx, or {@code patience} is over (then the last answer).
     */
    static Answer callAny(List<ServiceProcess> instances, String method, String path, String token, String contentType,
            byte[] body, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Answer last = null;
        int attempt = 0;
        while (true) {
            ServiceProcess p = instances.get(Math.floorMod(attempt++, instances.size()));
            last = call(method, p.baseUrl() + path, token, contentType, body, Duration.ofSeconds(20));
            if (last.status() > 0 && last.status() < 500) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                return last;
            }
            pause(attempt % instances.size() == 0 ? 500 : 50);
        }
    }

    static Answer getAny(List<ServiceProcess> instances, String path, String token) {
        return callAny(instances, "GET", path, token, null, null, Duration.ofSeconds(60));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
