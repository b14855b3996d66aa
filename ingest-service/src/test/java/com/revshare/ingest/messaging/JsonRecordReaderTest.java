package com.revshare.ingest.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.revshare.ingest.domain.RecordReader;
import com.revshare.ingest.domain.RecordValue;
import com.revshare.ingest.domain.UnreadableRecordException;

/**
 * The Jackson-backed reader keeps number text, reports batch element spans and refuses what SPEC §2 refuses:
 * RFC 8259 syntax errors, duplicate member names, deep nesting, and (checked before Jackson) a BOM, malformed,
 * overlong or surrogate UTF-8 and NUL bytes.
 */
class JsonRecordReaderTest {
    private final JsonRecordReader reader = new JsonRecordReader(64 << 20);

    @Test
    void numbersKeepTheirSourceText() throws Exception {
        RecordValue.Members o = (RecordValue.Members) reader.read(bytes("{\"a\":1.50,\"b\":-0,\"c\":2E+3,\"d\":"
                + "123456789012345678901234567890.000000000000000000001}"));
        assertEquals("1.50", ((RecordValue.Numeral) o.get("a")).text());
        assertEquals("-0", ((RecordValue.Numeral) o.get("b")).text());
        assertEquals("2E+3", ((RecordValue.Numeral) o.get("c")).text());
        assertEquals("123456789012345678901234567890.000000000000000000001", ((RecordValue.Numeral) o.get("d")).text());
    }

    @Test
    void elementSpansOfATopLevelArrayAreTheExactBytes() throws Exception {
        String body = " [ {\"a\":\"\u00e9\"} ,\n{\"b\":[1,{}]}, 7] ";
        byte[] bytes = bytes(body);
        RecordReader.Outline d = reader.outline(bytes);
        assertEquals("array", d.typeName());
        assertEquals(3, d.elementSpans().size());
        RecordReader.Span first = d.elementSpans().get(0);
        RecordReader.Span second = d.elementSpans().get(1);
        assertEquals(List.of("object", "object", "number"),
                d.elementSpans().stream().map(RecordReader.Span::typeName).toList());
        assertEquals("{\"a\":\"\u00e9\"}", new String(bytes, first.start(), first.length(), StandardCharsets.UTF_8));
        assertEquals("{\"b\":[1,{}]}", new String(bytes, second.start(), second.length(), StandardCharsets.UTF_8));
    }

    @Test
    void anOutlineChecksTheWholeTextAndNamesTheTopLevelType() throws Exception {
        assertEquals("object", reader.outline(bytes("{\"a\":[1,2]}")).typeName());
        assertEquals(List.of(), reader.outline(bytes("{\"a\":[1,2]}")).elementSpans());
        assertEquals("string", reader.outline(bytes("\"x\"")).typeName());
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes("[{\"a\":1},{\"b\":}]")));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes("[{\"a\":1,\"a\":2}]")));
        // what the outline skips without decoding is still checked
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes("[{\"a\":\"x\ty\"}]")));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes("[{\"a\":\"\\q\"}]")));
        assertThrows(UnreadableRecordException.class,
                () -> reader.outline(new byte[] {'[', '"', (byte) 0xC0, (byte) 0xAF, '"', ']'}));
    }

    @Test
    void escapesAndSupplementaryCharactersDecode() throws Exception {
        RecordValue v = reader.read(bytes("\"\\u00e9\\n\\/\ud83d\ude00\""));
        assertEquals("\u00e9\n/\ud83d\ude00", ((RecordValue.Text) v).value());
    }

    @Test
    void anEscapedLoneSurrogateIsReadAsSentForTheValidatorToJudge() throws Exception {
        RecordValue v = reader.read(bytes("\"a\\ud800b\""));
        assertEquals("a\ud800b", ((RecordValue.Text) v).value());
    }

    @Test
    void nestingUpToTheLimitIsReadAndDeeperIsRefused() throws Exception {
        int limit = JsonRecordReader.DEPTH_LIMIT;
        assertInstanceOf(RecordValue.Elements.class, reader.read(bytes("[".repeat(limit) + "]".repeat(limit))));
        String deep = "[".repeat(limit + 1) + "]".repeat(limit + 1);
        assertThrows(UnreadableRecordException.class, () -> reader.read(bytes(deep)));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes(deep)));
    }

    @Test
    void theFaultSuitesHostileRecordNestedFiveThousandDeepIsUnreadableOnEveryPath() {
        String hostile = "{\"nonce\":1,\"data\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThrows(UnreadableRecordException.class, () -> reader.read(bytes(hostile)));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes("[" + hostile + "]")));
    }

    @Test
    void aDuplicateMemberNameIsRefusedAtItsByte() {
        UnreadableRecordException e = assertThrows(UnreadableRecordException.class,
                () -> reader.read(bytes("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}")));
        assertTrue(e.getMessage().contains("at byte"), e::getMessage);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"EF BB BF 7B 7D", // a byte order mark before {}
            "22 ED A0 80 22", // a surrogate encoded in UTF-8
            "22 C0 AF 22", // an overlong '/'
            "22 E0 80 AF 22", // a three-byte overlong '/'
            "22 F4 90 80 80 22", // past U+10FFFF
            "22 80 22", // a lone continuation byte
            "22 C3 22", // a truncated sequence
            "00 00 00 7B", // zero bytes Jackson would take for UTF-32
            "7B 7D 00", // a NUL after the value
            "22 61 00 22"}) // a raw NUL in a string
    void whatJacksonLetsThroughIsRefusedFirst(String hex) {
        assertThrows(UnreadableRecordException.class, () -> reader.read(hex(hex)));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(hex(hex)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", " ", "{} {}", "[1] 2", "{}x", "01", "1.", ".5", "+1", "-", "1e", "NaN", "[1,]",
            "{\"a\":1,}", "'a'", "{a:1}", "/*c*/{}", "tru", "nul", "\"\\x\"", "\"\\u12\"", "\"a\u0001\"", "\u000b{}"})
    void rfc8259SyntaxErrorsAreRefused(String text) {
        assertThrows(UnreadableRecordException.class, () -> reader.read(bytes(text)));
        assertThrows(UnreadableRecordException.class, () -> reader.outline(bytes(text)));
    }

    @Test
    void aLongNameStringOrNumberIsReadWhenTheInputLimitAllowsIt() throws Exception {
        String name = "n".repeat(100_000);
        String number = "1".repeat(5_000);
        RecordValue.Members o = (RecordValue.Members) reader.read(bytes("{\"" + name + "\":" + number + "}"));
        assertEquals(number, ((RecordValue.Numeral) o.get(name)).text());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        String[] parts = hex.split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
