package com.revshare.ingest.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record's content as the validator reads it, independent of the wire format that carried it: what the
 * contract needs and a general-purpose tree loses is the exact source text of every number, so quantities
 * and amounts are checked against their grammar and read as decimals without ever passing through a
 * binary float. A {@link RecordReader} (an adapter) produces it.
 */
public sealed interface RecordValue {

    /** Short name of the value's type as SPEC §2 names it in rejection details ("object", "string", …). */
    String typeName();

    /** Named members in the order they were written (names are unique: the reader refuses duplicates). */
    record Members(Map<String, RecordValue> members) implements RecordValue {
        public Members {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        /** The member's value, or null when absent. */
        public RecordValue get(String name) {
            return members.get(name);
        }

        @Override
        public String typeName() {
            return "object";
        }
    }

    record Elements(List<RecordValue> elements) implements RecordValue {
        public Elements {
            elements = List.copyOf(elements);
        }

        @Override
        public String typeName() {
            return "array";
        }
    }

    record Text(String value) implements RecordValue {
        @Override
        public String typeName() {
            return "string";
        }
    }

    /** A number with its source text exactly as written (e.g. {@code 1.50}, {@code 1e3}, {@code -0}). */
    record Numeral(String text) implements RecordValue {
        @Override
        public String typeName() {
            return "number";
        }
    }

    record Flag(boolean value) implements RecordValue {
        @Override
        public String typeName() {
            return "boolean";
        }
    }

    /** An explicit null (which SPEC §2.1 treats like an absent member for required fields). */
    enum Nil implements RecordValue {
        INSTANCE;

        @Override
        public String typeName() {
            return "null";
        }
    }
}
