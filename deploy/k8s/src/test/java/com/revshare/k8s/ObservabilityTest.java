package com.revshare.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The dashboard is provisioning-ready and covers what operators watch; every alert has a severity,
 * a summary and a runbook link to a section that exists; every metric is a service's or a named
 * external exporter's. (That each service metric is really served: MetricsIT.)
 */
class ObservabilityTest {

    @Test
    void metricNamesAreTakenFromPromqlWithoutFunctionsLabelsOrKeywords() {
        assertEquals(Set.of("a_total", "b_lag"), Observability.metricNames(
                "sum by (partner, reason) (rate(a_total{outcome=\"x_y\", partner!=\"unknown\"}[5m])) > 0 "
                        + "and delta(max without (instance) (b_lag)[30m:1m]) > 0 unless on (partner) vector(1)"));
        assertEquals(Set.of("up"), Observability.metricNames("max_over_time(up[$__rate_interval]) offset 1d"));
    }

    @Test
    void theDashboardIsProvisioningReadyWithThePanelsOperatorsNeed() {
        // given
        JsonNode d = Observability.dashboard();

        // then: a fixed uid, no instance-specific id, the data source as a variable
        assertEquals("revshare-pipeline", d.path("uid").asText());
        assertTrue(d.path("id").isMissingNode() || d.path("id").isNull());
        assertEquals("datasource", d.path("templating").path("list").get(0).path("type").asText());
        List<String> titles = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            titles.add(p.path("title").asText().toLowerCase(Locale.ROOT));
            assertTrue(ids.add(p.path("id").asText()), "panel ids unique");
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), p.path("title").asText());
            assertTrue(p.path("targets").size() > 0, p.path("title").asText());
            p.path("targets").forEach(t -> assertTrue(!Observability.metricNames(t.path("expr").asText()).isEmpty(), t.toString()));
        }
        for (String needed : List.of("throughput per stage", "consumer lag per group", "rejections by reason",
                "unprocessable", "unrated", "outbox backlog", "ingest gaps", "control totals", "relay and producer errors",
                "database connections")) {
            assertTrue(titles.stream().anyMatch(t -> t.contains(needed)), "no panel on " + needed + " in " + titles);
        }
    }

    @Test
    void everyAlertHasSeveritySummaryAndARunbookLinkToAnExistingSection() throws IOException {
        // given
        Set<String> anchors = new HashSet<>();
        for (String line : Files.readAllLines(Repo.root().resolve("docs/operating/runbook.md"))) {
            if (line.startsWith("#")) {
                anchors.add(slug(line.replaceFirst("^#+\\s*", "")));
            }
        }

        // when
        List<String> problems = new ArrayList<>();
        Set<String> alerts = new HashSet<>();
        for (JsonNode a : Observability.alerts()) {
            String name = a.path("alert").asText();
            alerts.add(name);
            String url = a.path("annotations").path("runbook_url").asText();
            if (!url.startsWith("docs/operating/runbook.md#") || !anchors.contains(url.substring(url.indexOf('#') + 1))) {
                problems.add(name + ": runbook_url " + url + " is no section of docs/operating/runbook.md " + anchors);
            }
            if (!Set.of("warning", "critical").contains(a.path("labels").path("severity").asText())) {
                problems.add(name + ": severity " + a.path("labels").path("severity"));
            }
            if (a.path("annotations").path("summary").asText().isBlank()) {
                problems.add(name + ": no summary");
            }
        }

        // then
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertEquals(Set.of("RevshareConsumerLagGrowing", "RevshareIngestGap", "RevshareUnprocessableRising",
                "RevshareLedgerRelayErrors", "RevshareIngestRelayErrors", "RevshareControlShort", "RevsharePartnerSilent"), alerts);
    }

    @Test
    void everyMetricIsAServiceMetricOrANamedExternalOne() {
        for (String name : Observability.allMetricNames()) {
            assertTrue(name.startsWith("revshare_") || Observability.EXTERNAL.containsKey(name),
                    name + " is neither a revshare_ service metric nor a known external exporter's");
        }
    }

    @Test
    void theRulesAndTheDashboardAreInTheBaseThroughTheObservabilityKustomization() {
        List<String> ids = Repo.overlay("prod").stream().map(Kustomize::id).toList();
        assertTrue(ids.contains("monitoring.coreos.com/v1 PrometheusRule revshare"), ids.toString());
        JsonNode cm = CrossReferenceTest.byName(Repo.overlay("prod"), "ConfigMap", "revshare-grafana-dashboard").orElseThrow();
        assertEquals("1", cm.path("metadata").path("labels").path("grafana_dashboard").asText());
        assertEquals(Observability.dashboard().toString().length() > 0, cm.path("data").has("revshare-dashboard.json"));
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
