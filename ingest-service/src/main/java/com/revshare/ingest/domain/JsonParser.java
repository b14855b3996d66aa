package com.revshare.ingest.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser over UTF-8 bytes. Stricter than a general-purpose library where the contract
 * needs it: malformed UTF-8, a byte order mark, duplicate member names and nesting deeper than
 * {@link #DEPTH_LIMIT} are errors; numbers keep their source text. {@link #outline} checks a whole
 * batch and reports each top-level element's byte span without keeping the element values, so a
 * batch element's raw bytes can be kept exactly as sent and a large batch is not held twice in memory.
 */
public final class JsonParser {
    /**
     * Deeper nesting is refused rather than risking the stack. An event needs a depth of 3 (4 in a
     * batch); 128 leaves ignored fields room while keeping the recursion far from any thread's stack
     * (the fault suite found service threads that overflowed before the former limit of 1000).
     */
    public static final int DEPTH_LIMIT = 128;

    /** Byte span [start, end) of one element of a top-level array, and the element's JSON type. */
    public record Span(int start, int end, String typeName) {
        public int length() {
            return end - start;
        }
    }

    /**
     * A JSON text checked in full: its top-level type and, when it is an array, the span and type of each
     * element. The values themselves are not kept.
     */
    public record Outline(String typeName, List<Span> elementSpans) {
    }

    private final byte[] in;
    private final int end;
    private int pos;
    private final StringBuilder text = new StringBuilder();
    private List<Span> spans;

    private JsonParser(byte[] in, int start, int end) {
        this.in = in;
        this.pos = start;
        this.end = end;
    }

    /** Parses the whole array as one JSON text. */
    public static JsonValue parse(byte[] bytes) throws JsonSyntaxException {
        return parse(bytes, 0, bytes.length);
    }

    /** Parses bytes [start, end) as one JSON text. */
    public static JsonValue parse(byte[] bytes, int start, int end) throws JsonSyntaxException {
        JsonParser parser = new JsonParser(bytes, start, end);
        try {
            return parser.document();
        } catch (StackOverflowError e) {
            throw parser.error("nesting too deep");
        }
    }

    /**
     * Checks one JSON text and outlines it: each element of a top-level array is parsed (so its syntax is
     * checked) and dropped, only its span and type are kept.
     */
    public static Outline outline(byte[] bytes) throws JsonSyntaxException {
        JsonParser parser = new JsonParser(bytes, 0, bytes.length);
        parser.spans = new ArrayList<>();
        JsonValue value;
        try {
            value = parser.document();
        } catch (StackOverflowError e) {
            throw parser.error("nesting too deep");
        }
        return new Outline(value.typeName(), value instanceof JsonValue.JsonArray ? parser.spans : List.of());
    }

    private JsonValue document() throws JsonSyntaxException {
        if (end - pos >= 3 && (in[pos] & 0xFF) == 0xEF && (in[pos + 1] & 0xFF) == 0xBB && (in[pos + 2] & 0xFF) == 0xBF) {
            throw error("byte order mark not allowed");
        }
        skipWhitespace();
        if (pos >= end) {
            throw error("empty input");
        }
        JsonValue value = value(0);
        skipWhitespace();
        if (pos < end) {
            throw error("unexpected data after the JSON value");
        }
        return value;
    }

    private JsonValue value(int depth) throws JsonSyntaxException {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        byte b = in[pos];
        switch (b) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return new JsonValue.JsonString(string());
            case 't':
                literal("true");
                return new JsonValue.JsonBoolean(true);
            case 'f':
                literal("false");
                return new JsonValue.JsonBoolean(false);
            case 'n':
                literal("null");
                return JsonValue.JsonNull.INSTANCE;
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw error("unexpected character " + describe(b));
        }
    }

    private JsonValue.JsonObject object(int depth) throws JsonSyntaxException {
        checkDepth(depth);
        pos++; // '{'
        Map<String, JsonValue> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return new JsonValue.JsonObject(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            JsonValue value = value(depth);
            if (members.putIfAbsent(name, value) != null) {
                throw error("duplicate member name \"" + abbreviate(name) + "\"");
            }
            skipWhitespace();
            byte b = peek();
            pos++;
            if (b == '}') {
                return new JsonValue.JsonObject(members);
            }
            if (b != ',') {
                pos--;
                throw error("expected ',' or '}'");
            }
        }
    }

    private JsonValue.JsonArray array(int depth) throws JsonSyntaxException {
        checkDepth(depth);
        boolean topLevel = depth == 1 && spans != null;
        pos++; // '['
        List<JsonValue> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new JsonValue.JsonArray(elements);
        }
        while (true) {
            skipWhitespace();
            int start = pos;
            JsonValue element = value(depth);
            if (topLevel) {
                spans.add(new Span(start, pos, element.typeName()));
            } else {
                elements.add(element);
            }
            skipWhitespace();
            byte b = peek();
            pos++;
            if (b == ']') {
                return new JsonValue.JsonArray(elements);
            }
            if (b != ',') {
                pos--;
                throw error("expected ',' or ']'");
            }
        }
    }

    private String string() throws JsonSyntaxException {
        pos++; // opening quote
        text.setLength(0);
        while (true) {
            if (pos >= end) {
                throw error("unterminated string");
            }
            int b = in[pos] & 0xFF;
            if (b == '"') {
                pos++;
                return text.toString();
            }
            if (b == '\\') {
                escape();
            } else if (b < 0x20) {
                throw error("control character " + describe((byte) b) + " in string");
            } else if (b < 0x80) {
                text.append((char) b);
                pos++;
            } else {
                utf8Sequence(b);
            }
        }
    }

    private void escape() throws JsonSyntaxException {
        if (pos + 1 >= end) {
            throw error("unterminated escape");
        }
        byte e = in[pos + 1];
        pos += 2;
        switch (e) {
            case '"' -> text.append('"');
            case '\\' -> text.append('\\');
            case '/' -> text.append('/');
            case 'b' -> text.append('\b');
            case 'f' -> text.append('\f');
            case 'n' -> text.append('\n');
            case 'r' -> text.append('\r');
            case 't' -> text.append('\t');
            case 'u' -> {
                if (pos + 4 > end) {
                    throw error("truncated \\u escape");
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(in[pos + i], 16);
                    if (digit < 0) {
                        throw error("invalid \\u escape");
                    }
                    code = code * 16 + digit;
                }
                pos += 4;
                text.append((char) code);
            }
            default -> {
                pos -= 2;
                throw error("invalid escape \\" + (char) (e & 0x7F));
            }
        }
    }

    /** Decodes one multi-byte UTF-8 sequence strictly (no overlong forms, no surrogates, at most U+10FFFF). */
    private void utf8Sequence(int first) throws JsonSyntaxException {
        int length;
        int code;
        int min;
        if (first >= 0xC2 && first <= 0xDF) {
            length = 2;
            code = first & 0x1F;
            min = 0x80;
        } else if (first >= 0xE0 && first <= 0xEF) {
            length = 3;
            code = first & 0x0F;
            min = 0x800;
        } else if (first >= 0xF0 && first <= 0xF4) {
            length = 4;
            code = first & 0x07;
            min = 0x10000;
        } else {
            throw error("invalid UTF-8");
        }
        if (pos + length > end) {
            throw error("truncated UTF-8 sequence");
        }
        for (int i = 1; i < length; i++) {
            int next = in[pos + i] & 0xFF;
            if ((next & 0xC0) != 0x80) {
                throw error("invalid UTF-8");
            }
            code = (code << 6) | (next & 0x3F);
        }
        if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
            throw error("invalid UTF-8");
        }
        text.appendCodePoint(code);
        pos += length;
    }

    private JsonValue.JsonNumber number() throws JsonSyntaxException {
        int start = pos;
        if (in[pos] == '-') {
            pos++;
        }
        if (pos < end && in[pos] == '0') {
            pos++;
        } else if (pos < end && in[pos] >= '1' && in[pos] <= '9') {
            digits();
        } else {
            throw error("invalid number");
        }
        if (pos < end && in[pos] == '.') {
            pos++;
            if (digits() == 0) {
                throw error("invalid number: digits expected after '.'");
            }
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                pos++;
            }
            if (digits() == 0) {
                throw error("invalid number: digits expected in exponent");
            }
        }
        return new JsonValue.JsonNumber(new String(in, start, pos - start, java.nio.charset.StandardCharsets.US_ASCII));
    }

    private int digits() {
        int start = pos;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            pos++;
        }
        return pos - start;
    }

    private void literal(String word) throws JsonSyntaxException {
        if (pos + word.length() > end) {
            throw error("invalid literal");
        }
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw error("invalid literal");
            }
        }
        pos += word.length();
    }

    private void checkDepth(int depth) throws JsonSyntaxException {
        if (depth > DEPTH_LIMIT) {
            throw error("nesting deeper than " + DEPTH_LIMIT);
        }
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    private byte peek() throws JsonSyntaxException {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        return in[pos];
    }

    private void expect(char c) throws JsonSyntaxException {
        if (pos >= end || in[pos] != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private JsonSyntaxException error(String message) {
        return new JsonSyntaxException(message + " at byte " + pos);
    }

    private static String describe(byte b) {
        int v = b & 0xFF;
        return v >= 0x21 && v <= 0x7E ? "'" + (char) v + "'" : String.format("0x%02X", v);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
