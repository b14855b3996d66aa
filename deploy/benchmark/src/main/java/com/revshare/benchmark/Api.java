package com.revshare.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A small HTTP client for one service's API with bearer tokens; amounts are read as BigDecimal.
 * With several instances of the service (--instances) the requests go round them in turn.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A status code and body. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final List<String> baseUrls;
    private final AtomicInteger next = new AtomicInteger();

    Api(String baseUrl) {
        this(List.of(baseUrl));
    }

    Api(List<String> baseUrls) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no base URL");
        }
        this.baseUrls = List.copyOf(baseUrls);
    }

    /** The first instance's URL. */
    String baseUrl() {
        return baseUrls.get(0);
    }

    int instances() {
        return baseUrls.size();
    }

    /** A client of one instance only. */
    Api instance(int index) {
        return new Api(baseUrls.get(index));
    }

    Response send(String method, String path, String token, String contentType, String body) {
        return send(method, path, token, contentType, body, TIMEOUT);
    }

    /** As {@link #send(String, String, String, String, String)} with its own timeout (e.g. a proof's replay). */
    Response send(String method, String path, String token, String contentType, String body, Duration timeout) {
        String baseUrl = baseUrls.size() == 1 ? baseUrls.get(0)
                : baseUrls.get(Math.floorMod(next.getAndIncrement(), baseUrls.size()));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + baseUrl + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET with a token, expecting 200 and JSON. */
    JsonNode get(String path, String token) {
        Response r = send("GET", path, token, null, null);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + baseUrl() + path + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    /** A JSON request that must answer one of {@code expected}. */
    Response call(String method, String path, String token, String json, int... expected) {
        Response r = send(method, path, token, "application/json", json);
        for (int e : expected) {
            if (r.status() == e) {
                return r;
            }
        }
        throw new IllegalStateException(method + " " + baseUrl() + path + " answered " + r.status() + ": " + r.body());
    }
}
