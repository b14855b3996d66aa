package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;

/** The operations endpoints (health, metrics) as tests read them. */
final class Ops {
    private Ops() {
    }

    /** The Prometheus text of /q/metrics. */
    static String metricsText() {
        return given().get(OpsUrls.management("/q/metrics")).then().statusCode(200).extract().asString();
    }

    /** The sum of the samples of {@code name}: a bare name, or a name with its exact label set. */
    static double metric(String name) {
        return metricsText().lines().filter(l -> l.startsWith(name + " ") || (!name.contains("{")
                && l.startsWith(name + "{")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The readiness answer (200 or 503). */
    static JsonPath ready() {
        return given().get(OpsUrls.management("/q/health/ready")).then().extract().jsonPath();
    }
}
