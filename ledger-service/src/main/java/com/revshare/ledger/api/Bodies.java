package com.revshare.ledger.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.InvalidFieldException;

/**
 * Request bodies: the body is read as one JSON object (present, within the size limit, JSON, an
 * object), then bound to the endpoint's DTO record ({@link Requests}). The binders below refuse a
 * value of the wrong JSON type with a 400 that names the field by its full path (SPEC §7) instead of
 * coercing it (a number is no name, a string no integer); absent and null members bind to null and
 * unknown members are ignored.
 */
final class Bodies {
    private Bodies() {
    }

    /** The body bound to {@code type}; each type error is an {@link InvalidFieldException} naming its field. */
    static <T> T read(ObjectMapper json, String body, int sizeLimitBytes, Class<T> type) throws JsonProcessingException {
        JsonNode node = object(json, body, sizeLimitBytes);
        try {
            return json.treeToValue(node, type);
        } catch (JsonMappingException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof InvalidFieldException invalid) {
                    throw invalid;
                }
            }
            throw e;
        }
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

    /** The member being bound by its full path: {@code amount}, {@code rules[0].tiers[1].upTo}. */
    static String path(JsonParser p) {
        JsonStreamContext c = p.getParsingContext();
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
            c = c.getParent();
        }
        StringBuilder path = new StringBuilder();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                path.insert(0, "." + c.getCurrentName());
            } else if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            }
        }
        return path.charAt(0) == '.' ? path.substring(1) : path.toString();
    }

    /** A JSON string. */
    static final class Text extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            String field = path(p);
            throw new InvalidFieldException(field, field + " must be a string");
        }
    }

    /**
     * A decimal: a JSON string as it is (the domain checks its text), or a JSON number as its exact
     * decimal text (from the number as written, never through a double).
     */
    static final class Decimal extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = decimalText(p);
            if (text != null) {
                return text;
            }
            String field = path(p);
            throw new InvalidFieldException(field, field + " must be a string");
        }
    }

    /** An agreement's decimal (SPEC §3.1): as {@link Decimal}; anything else is no "decimal string". */
    static final class AgreementDecimal extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = decimalText(p);
            if (text != null) {
                return text;
            }
            String field = path(p);
            throw new InvalidFieldException(field, field + " must be a decimal string");
        }
    }

    /** A JSON integer within int. */
    static final class Int extends JsonDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                return p.getIntValue();
            }
            String field = path(p);
            throw new InvalidFieldException(field, field + " must be an integer");
        }
    }

    /** An agreement's rules: an array of rule objects. */
    static final class Rules extends JsonDeserializer<List<Requests.RuleBody>> {
        @Override
        public List<Requests.RuleBody> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return objects(p, ctxt, Requests.RuleBody.class);
        }
    }

    /** A rule's tiers: an array of tier objects. */
    static final class Tiers extends JsonDeserializer<List<Requests.TierBody>> {
        @Override
        public List<Requests.TierBody> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return objects(p, ctxt, Requests.TierBody.class);
        }
    }

    private static String decimalText(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getBigIntegerValue().toString();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue().toPlainString();
            default -> null;
        };
    }

    private static <T> List<T> objects(JsonParser p, DeserializationContext ctxt, Class<T> type) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            String field = path(p);
            throw new InvalidFieldException(field, field + " must be an array");
        }
        List<T> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                String at = path(p);
                throw new InvalidFieldException(at, at + " must be an object");
            }
            list.add(ctxt.readValue(p, type));
        }
        return list;
    }
}
