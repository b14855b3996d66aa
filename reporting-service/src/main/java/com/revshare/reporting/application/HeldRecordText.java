package com.revshare.reporting.application;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * How an unreadable record's key, error and bytes are kept in a held record, the same for both
 * topics reporting reads (revshare.ledger.entries and revshare.partners): text PostgreSQL can store,
 * and the record's first bytes as text when they are UTF-8 without NUL, else as base64.
 */
public final class HeldRecordText {
    private HeldRecordText() {
    }

    /** Text PostgreSQL can store: U+0000 becomes U+FFFD. */
    public static String storable(String text) {
        return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
    }

    /** The record's first {@code limitBytes} bytes as text when they are UTF-8 without NUL, else base64 (prefixed). */
    public static String rawText(byte[] value, int limitBytes) {
        if (value == null) {
            return null;
        }
        byte[] head = value.length > limitBytes ? Arrays.copyOf(value, limitBytes) : value;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head)).toString();
            if (text.indexOf('\0') < 0) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text: keep it as base64
        }
        return "base64:" + Base64.getEncoder().encodeToString(head);
    }
}
