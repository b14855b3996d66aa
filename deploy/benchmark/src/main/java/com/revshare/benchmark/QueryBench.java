package com.revshare.benchmark;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times reporting's read API: each query answered {@code samples} times in a row after a
 * warm-up, one request at a time, so a figure is the service's own latency (plus loopback HTTP)
 * and not queueing. Every answer must be 200.
 */
final class QueryBench {
    /** One query's figures in microseconds. */
    record Result(String name, String path, int samples, long p50Micros, long p99Micros, long maxMicros, int bytes) {
    }

    private QueryBench() {
    }

    static Map<String, Result> run(Api reporting, String token, Map<String, String> queries, int samples) {
        Map<String, Result> results = new LinkedHashMap<>();
        for (var q : queries.entrySet()) {
            int warmup = Math.max(10, samples / 10);
            int bytes = 0;
            for (int i = 0; i < warmup; i++) {
                bytes = expectOk(reporting, q.getValue(), token).length();
            }
            long[] micros = new long[samples];
            for (int i = 0; i < samples; i++) {
                long t0 = System.nanoTime();
                expectOk(reporting, q.getValue(), token);
                micros[i] = (System.nanoTime() - t0) / 1_000;
            }
            Percentiles p = new Percentiles(micros, samples);
            results.put(q.getKey(), new Result(q.getKey(), q.getValue(), samples, p.at(50), p.at(99), p.max(), bytes));
        }
        return results;
    }

    private static String expectOk(Api api, String path, String token) {
        Api.Response r = api.send("GET", path, token, null, null);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body();
    }
}
