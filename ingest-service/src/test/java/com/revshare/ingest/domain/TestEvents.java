package com.revshare.ingest.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.ingest.messaging.JsonRecordReader;

/** A valid event as a mutable JSON tree, for tests that break it one way at a time. */
final class TestEvents {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final PartnerDirectory PARTNERS = id -> id.equals("aws") || id.equals("azure");
    /** The production adapter: the validator is tested over the bytes a partner sends. */
    static final RecordReader READER = new JsonRecordReader(64 << 20);
    static final UsageEventValidator VALIDATOR = new UsageEventValidator(65536, java.time.Duration.ofMinutes(5), READER);

    private TestEvents() {
    }

    static ObjectNode valid() {
        try {
            return (ObjectNode) JSON.readTree("""
                    {"specversion":"1.0","id":"aws-2026-11-01-000001","source":"partners/aws",
                     "type":"revshare.usage.v1","time":"2026-11-01T12:00:00Z","partnerid":"aws",
                     "datacontenttype":"application/json",
                     "data":{"model":"llama-3.1-70b-instruct","metric":"output_tokens","quantity":125000,
                             "revenue":{"amount":"1.87500000","currency":"USD"},"region":"us-east-1"}}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(ObjectNode event) {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Validation validate(String json) {
        return VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8), null, PARTNERS, NOW);
    }

    static Validation validate(ObjectNode event) {
        return VALIDATOR.validate(bytes(event), null, PARTNERS, NOW);
    }

    static Validation validate(ObjectNode event, PartnerClaim claim) {
        return VALIDATOR.validate(bytes(event), claim, PARTNERS, NOW);
    }
}
