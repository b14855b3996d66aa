package com.revshare.ledger.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.InvalidFieldException;

/** Request bodies read by hand, so each type error names its field. */
final class Bodies {
    private Bodies() {
    }

    static JsonNode object(ObjectMapper json, String body, int sizeLimitBytes) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new InvalidFieldException("body", "a JSON object body is required");
        }
        if (body.length() > sizeLimitBytes) {
            throw new jakarta.ws.rs.WebApplicationException(413);
        }
        JsonNode node = json.readTree(body);
        if (node == null || !node.isObject()) {
            throw new InvalidFieldException("body", "the body must be a JSON object");
        }
        return node;
    }

    /** A string member (null when absent or null); numbers allowed for decimal fields. */
    static String text(JsonNode node, String field, boolean numberAllowed) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (numberAllowed && v.isNumber()) {
            return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.decimalValue().toPlainString();
        }
        throw new InvalidFieldException(field, field + " must be a string");
    }

    /** An integer member (null when absent or null); anything else, or a value outside int, is a 400 naming it. */
    static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new InvalidFieldException(field, field + " must be an integer");
        }
        return v.intValue();
    }
}
