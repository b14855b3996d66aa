package com.revshare.ingest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The strict parser keeps number text, reports batch element spans and refuses what RFC 8259 refuses. */
class JsonParserTest {
    @Test
    void numbersKeepTheirSourceText() throws Exception {
        JsonValue.JsonObject o = (JsonValue.JsonObject) JsonParser.parse(bytes("{\"a\":1.50,\"b\":-0,\"c\":2E+3}"));
        assertEquals("1.50", ((JsonValue.JsonNumber) o.get("a")).text());
        assertEquals("-0", ((JsonValue.JsonNumber) o.get("b")).text());
        assertEquals("2E+3", ((JsonValue.JsonNumber) o.get("c")).text());
    }

    @Test
    void elementSpansOfATopLevelArrayAreTheExactBytes() throws Exception {
        String body = " [ {\"a\":\"\u00e9\"} ,\n{\"b\":[1,{}]}, 7] ";
        byte[] bytes = bytes(body);
        JsonParser.Outline d = JsonParser.outline(bytes);
        assertEquals("array", d.typeName());
        assertEquals(3, d.elementSpans().size());
        JsonParser.Span first = d.elementSpans().get(0);
        JsonParser.Span second = d.elementSpans().get(1);
        assertEquals(List.of("object", "object", "number"), d.elementSpans().stream().map(JsonParser.Span::typeName).toList());
        assertEquals("{\"a\":\"\u00e9\"}", new String(bytes, first.start(), first.length(), StandardCharsets.UTF_8));
        assertEquals("{\"b\":[1,{}]}", new String(bytes, second.start(), second.length(), StandardCharsets.UTF_8));
    }

    @Test
    void anOutlineChecksTheWholeTextAndNamesTheTopLevelType() throws Exception {
        assertEquals("object", JsonParser.outline(bytes("{\"a\":[1,2]}")).typeName());
        assertEquals(List.of(), JsonParser.outline(bytes("{\"a\":[1,2]}")).elementSpans());
        assertEquals("string", JsonParser.outline(bytes("\"x\"")).typeName());
        assertThrows(JsonSyntaxException.class, () -> JsonParser.outline(bytes("[{\"a\":1},{\"b\":}]")));
        assertThrows(JsonSyntaxException.class, () -> JsonParser.outline(bytes("[{\"a\":1,\"a\":2}]")));
    }

    @Test
    void escapesAndSupplementaryCharactersDecode() throws Exception {
        JsonValue v = JsonParser.parse(bytes("\"\\u00e9\\n\\/\ud83d\ude00\""));
        assertEquals("\u00e9\n/\ud83d\ude00", ((JsonValue.JsonString) v).value());
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedWithoutStackOverflow() {
        String deep = "[".repeat(JsonParser.DEPTH_LIMIT + 1) + "]".repeat(JsonParser.DEPTH_LIMIT + 1);
        assertThrows(JsonSyntaxException.class, () -> JsonParser.parse(bytes(deep)));
    }

    @Test
    void theFaultSuitesHostileRecordNestedFiveThousandDeepIsASyntaxErrorOnEveryPath() {
        String hostile = "{\"nonce\":1,\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThrows(JsonSyntaxException.class, () -> JsonParser.parse(bytes(hostile)));
        assertThrows(JsonSyntaxException.class, () -> JsonParser.outline(bytes("[" + hostile + "]")));
    }

    @Test
    void surrogateCodePointsEncodedInUtf8AreRefused() {
        byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertThrows(JsonSyntaxException.class, () -> JsonParser.parse(encodedSurrogate));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
