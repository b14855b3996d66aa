package com.revshare.ingest.domain;

import java.util.List;

/**
 * The port through which the domain reads a record's bytes (SPEC §2: one JSON text in strict UTF-8, no
 * byte order mark, no duplicate member names). The domain owns the contract; an adapter implements it
 * with a JSON library, so no wire format enters the domain.
 */
public interface RecordReader {

    /** Reads bytes [start, end) as one record value. */
    RecordValue read(byte[] bytes, int start, int end) throws UnreadableRecordException;

    /** Reads the whole array as one record value. */
    default RecordValue read(byte[] bytes) throws UnreadableRecordException {
        return read(bytes, 0, bytes.length);
    }

    /**
     * Checks a whole text (an HTTP body) and outlines it without keeping its values: its top-level type and,
     * when it is an array, each element's byte span and type. Each element is then read once, from its own
     * bytes, when it is validated, so a large batch is never held as bytes and as a tree at once.
     */
    Outline outline(byte[] bytes) throws UnreadableRecordException;

    /** Byte span [start, end) of one element of a top-level array, and the element's type name. */
    record Span(int start, int end, String typeName) {
        public int length() {
            return end - start;
        }
    }

    /** A text checked in full: its top-level type and, for an array, the span and type of each element. */
    record Outline(String typeName, List<Span> elementSpans) {
    }
}
