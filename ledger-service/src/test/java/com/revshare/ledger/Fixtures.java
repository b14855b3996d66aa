package com.revshare.ledger;

import static io.restassured.RestAssured.given;

import com.revshare.infra.TestTokens;

import io.restassured.http.ContentType;

/** Small helpers shared by the @QuarkusTest classes: tokens, partner and agreement set-up, event JSON. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String admin() {
        return "Bearer " + TestTokens.admin();
    }

    public static String finance() {
        return "Bearer " + TestTokens.finance();
    }

    public static void partner(String id, String currency) {
        given().header("Authorization", admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"" + id + " Inc.\",\"currency\":\"" + currency + "\"}")
                .put("/api/v1/partners/" + id).then().statusCode(201);
    }

    public static void agreement(String id, String json) {
        given().header("Authorization", admin()).contentType(ContentType.JSON).body(json)
                .post("/api/v1/partners/" + id + "/agreements").then().statusCode(201);
    }

    /** An accepted event as ingest forwards it (docs/events/accepted-usage-event.v1.schema.json). */
    public static String accepted(String partner, String eventId, String time, String model, String metric,
            long quantity, String revenueAmount, String revenueCurrency, long ingestSequence) {
        String revenue = revenueAmount == null ? "null"
                : "{\"amount\":\"" + revenueAmount + "\",\"currency\":\"" + revenueCurrency + "\"}";
        return "{\"partnerId\":\"" + partner + "\",\"eventId\":\"" + eventId + "\",\"time\":\"" + time
                + "\",\"model\":\"" + model + "\",\"metric\":\"" + metric + "\",\"quantity\":" + quantity
                + ",\"revenue\":" + revenue + ",\"region\":\"us-east-1\",\"source\":\"partners/" + partner
                + "\",\"receivedAt\":\"2026-11-01T00:00:00Z\",\"ingestSequence\":" + ingestSequence + "}";
    }
}
