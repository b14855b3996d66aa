package com.revshare.ingest.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value that keeps what the contract needs and a general-purpose tree loses: the exact
 * source text of every number, so quantities and amounts are checked against their grammar and read
 * as decimals without ever passing through a binary float.
 */
public sealed interface JsonValue {

    /** Short name of the JSON type, for error details. */
    String typeName();

    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        /** The member's value, or null when absent. */
        public JsonValue get(String name) {
            return members.get(name);
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        @Override
        public String typeName() {
            return "array";
        }
    }

    record JsonString(String value) implements JsonValue {
        @Override
        public String typeName() {
            return "string";
        }
    }

    /** A number with its source text exactly as written (e.g. {@code 1.50}, {@code 1e3}, {@code -0}). */
    record JsonNumber(String text) implements JsonValue {
        @Override
        public String typeName() {
            return "number";
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {
        @Override
        public String typeName() {
            return "boolean";
        }
    }

    enum JsonNull implements JsonValue {
        INSTANCE;

        @Override
        public String typeName() {
            return "null";
        }
    }
}
