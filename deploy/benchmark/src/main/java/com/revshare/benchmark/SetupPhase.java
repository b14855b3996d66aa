package com.revshare.benchmark;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Registers the benchmark's partners with their agreements through the ledger's admin API, sets
 * the EUR rates, closes the previous month, and waits until ingest knows every partner and
 * reporting shows the setup's entries.
 */
final class SetupPhase {
    /** Each partner's ledger sequence once set up: the pipeline phases count from it. */
    record Setup(Map<String, Long> baseline) {
        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            baseline.forEach(o::put);
            return o;
        }
    }

    private SetupPhase() {
    }

    static Setup run(RunContext ctx) {
        Api ledger = ctx.ledger();
        String admin = ctx.admin();
        ctx.log().line("registering " + ctx.partnerIds().size() + " partners with agreements effective from " + ctx.closedMonth());
        for (int i = 0; i < ctx.partnerIds().size(); i++) {
            Workload.Partner p = Workload.PARTNERS.get(i);
            String id = ctx.partnerIds().get(i);
            ledger.call("PUT", "/api/v1/partners/" + id, admin,
                    "{\"name\":\"" + p.name() + "\",\"currency\":\"USD\"}", 200, 201);
            JsonNode versions = ledger.get("/api/v1/partners/" + id + "/agreements", admin);
            if (versions.isArray() && versions.isEmpty()) {
                ledger.call("POST", "/api/v1/partners/" + id + "/agreements", admin,
                        Workload.agreementJson(p, ctx.closedMonth()), 201);
            } else {
                ctx.log().line("  " + id + " already has agreement versions: kept (its figures must match the benchmark's rules)");
            }
        }
        if (ctx.options().eur > 0) {
            LocalDate end = LocalDate.now(ZoneOffset.UTC).plusDays(1);
            for (LocalDate d = ctx.closedMonth().atDay(1); !d.isAfter(end); d = d.plusDays(1)) {
                ledger.call("PUT", "/api/v1/fx-rates/" + d, admin, "{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\""
                        + Workload.eurUsd(d).toPlainString() + "\"}", 200, 201);
            }
        }
        ctx.log().line("closing " + ctx.closedMonth() + " for every partner (events dated in it become late events)");
        for (String id : ctx.partnerIds()) {
            Api.Response r = ledger.send("POST", "/api/v1/partners/" + id + "/periods/" + ctx.closedMonth() + "/close", admin,
                    "application/json", "{}");
            if (r.status() != 200) {
                throw new IllegalStateException("closing " + ctx.closedMonth() + " for " + id + " answered " + r.status()
                        + ": " + r.body() + " (use --late 0 against a system whose partners cannot close it)");
            }
        }
        awaitPartnersKnownToIngest(ctx);
        long[] sequences = ledgerSequences(ctx);
        Waits.until("reporting shows the setup entries", Duration.ofSeconds(120), () -> {
            long[] seen = ctx.poller().poll();
            for (int i = 0; i < seen.length; i++) {
                if (seen[i] < sequences[i]) {
                    return false;
                }
            }
            return true;
        });
        Map<String, Long> baseline = new LinkedHashMap<>();
        for (int i = 0; i < ctx.partnerIds().size(); i++) {
            baseline.put(ctx.partnerIds().get(i), sequences[i]);
        }
        return new Setup(baseline);
    }

    /**
     * SPEC §2.4: a registered partner is known to ingest within 5 s. Probe each with an event from
     * the future over HTTP: FUTURE_EVENT (later in the validation order than UNKNOWN_PARTNER)
     * means known, and nothing is stored either way. With several ingest instances each is asked.
     */
    private static void awaitPartnersKnownToIngest(RunContext ctx) {
        for (String id : ctx.partnerIds()) {
            String token = ctx.sut().infra.jwt().partner(id, RunContext.TOKEN_TTL);
            String probeEvent = "{\"specversion\":\"1.0\",\"id\":\"probe-" + ctx.runId() + "\",\"source\":\"benchmark\","
                    + "\"type\":\"revshare.usage.v1\",\"time\":\"" + Instant.now().plus(Duration.ofDays(1))
                    + "\",\"partnerid\":\"" + id + "\",\"data\":{\"model\":\"m\",\"metric\":\"requests\",\"quantity\":1}}";
            for (int instance = 0; instance < ctx.ingest().instances(); instance++) {
                Api one = ctx.ingest().instance(instance);
                Waits.until("ingest " + one.baseUrl() + " knows " + id, Duration.ofSeconds(60), () -> {
                    Api.Response r = one.send("POST", "/api/v1/usage-events", token, "application/cloudevents+json",
                            probeEvent);
                    return r.status() == 202 && r.body().contains("FUTURE_EVENT");
                });
            }
        }
    }

    static long[] ledgerSequences(RunContext ctx) {
        long[] seq = new long[ctx.partnerIds().size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = ctx.ledger().get("/api/v1/partners/" + ctx.partnerIds().get(i) + "/balance", ctx.finance())
                    .path("lastSequence").asLong();
        }
        return seq;
    }
}
