package com.revshare.ingest;

/** Builders of usage event JSON for tests (SPEC §2.1 example, partner and id replaced). */
final class Events {
    private Events() {
    }

    static String valid(String partnerId, String eventId) {
        return """
                {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1",
                 "time":"2026-11-01T13:00:00+01:00","partnerid":"%s","datacontenttype":"application/json",
                 "data":{"model":"llama-3.1-70b-instruct","metric":"output_tokens","quantity":"125000",
                         "revenue":{"amount":1.875,"currency":"USD"},"region":"us-east-1"}}"""
                .formatted(eventId, partnerId, partnerId);
    }

    /** A minimal valid event: no revenue, no region, quantity as a number. */
    static String minimal(String partnerId, String eventId, long quantity) {
        return """
                {"specversion":"1.0","id":"%s","source":"s","type":"revshare.usage.v1","time":"2026-11-02T00:00:00Z",
                 "partnerid":"%s","data":{"model":"m","metric":"requests","quantity":%d}}"""
                .formatted(eventId, partnerId, quantity);
    }
}
