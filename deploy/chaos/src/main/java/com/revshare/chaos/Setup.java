package com.revshare.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Registers the run's partners and agreements on the ledger, closes the late partner's first
 * month (so that its events of that month are booked as LATE_USAGE), and waits until ingest
 * knows every partner (a probe from the future is rejected FUTURE_EVENT, not UNKNOWN_PARTNER).
 */
final class Setup {
    private Setup() {
    }

    static void partners(ChaosSystem system, Workload workload) {
        String admin = system.infra.jwt().admin(Duration.ofHours(2));
        for (String p : workload.partners) {
            expect(system, "PUT", "/api/v1/partners/" + p,
                    "{\"name\":\"Chaos " + p + "\",\"currency\":\"USD\"}", admin, 200, 201);
            expect(system, "POST", "/api/v1/partners/" + p + "/agreements", workload.agreementJson(p), admin, 201);
        }
        expect(system, "POST", "/api/v1/partners/" + workload.latePartner + "/periods/" + workload.closedMonth + "/close",
                null, admin, 200);
        for (String p : workload.partners) {
            awaitKnownToIngest(system, p);
        }
    }

    private static void expect(ChaosSystem system, String method, String path, String body, String token,
            int... statuses) {
        Api.Answer a = Api.callAny(system.of("ledger"), method, path, token, "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        for (int s : statuses) {
            if (a.status() == s) {
                return;
            }
        }
        throw new IllegalStateException(method + " " + path + " answered " + a.status() + " " + a.body());
    }

    private static void awaitKnownToIngest(ChaosSystem system, String partner) {
        String probe = """
                {"specversion":"1.0","id":"probe-%s","source":"chaos","type":"revshare.usage.v1","time":"%s",
                 "partnerid":"%s","data":{"model":"m","metric":"requests","quantity":1}}"""
                .formatted(partner, Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS), partner);
        String token = system.infra.jwt().partner(partner, Duration.ofHours(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Api.Answer a = Api.callAny(system.of("ingest"), "POST", "/api/v1/usage-events", token,
                    "application/cloudevents+json", probe.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
            if (a.status() == 202 && "FUTURE_EVENT".equals(a.json().path("rejected").path(0).path("reason").asText())) {
                return;
            }
            Api.pause(200);
        }
        throw new IllegalStateException("ingest does not know partner " + partner + " within 60 s");
    }
}
