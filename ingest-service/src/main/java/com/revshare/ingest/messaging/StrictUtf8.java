package com.revshare.ingest.messaging;

import com.revshare.ingest.domain.UnreadableRecordException;

/**
 * What SPEC §2 refuses and Jackson lets through: a byte order mark (Jackson skips it), overlong encodings and
 * UTF-8-encoded surrogates (Jackson decodes them), and malformed UTF-8 inside a string it skips without
 * decoding. A raw NUL byte is refused here too: it is never valid JSON (not whitespace, and a control
 * character inside a string), and refusing it first keeps Jackson's encoding detection, which reads zero
 * bytes as UTF-16 or UTF-32, from ever taking the input for anything but UTF-8.
 */
final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** Throws unless bytes [start, end) are well-formed UTF-8 (RFC 3629) without a BOM or a NUL byte. */
    static void check(byte[] in, int start, int end) throws UnreadableRecordException {
        if (end - start >= 3 && (in[start] & 0xFF) == 0xEF && (in[start + 1] & 0xFF) == 0xBB
                && (in[start + 2] & 0xFF) == 0xBF) {
            throw new UnreadableRecordException("byte order mark not allowed at byte 0");
        }
        int pos = start;
        while (pos < end) {
            int first = in[pos] & 0xFF;
            if (first < 0x80) {
                if (first == 0) {
                    throw error("NUL byte", pos - start);
                }
                pos++;
                continue;
            }
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
                throw error("invalid UTF-8", pos - start);
            }
            if (pos + length > end) {
                throw error("truncated UTF-8 sequence", pos - start);
            }
            for (int i = 1; i < length; i++) {
                int next = in[pos + i] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    throw error("invalid UTF-8", pos - start);
                }
                code = (code << 6) | (next & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                throw error("invalid UTF-8", pos - start);
            }
            pos += length;
        }
    }

    private static UnreadableRecordException error(String what, int offset) {
        return new UnreadableRecordException(what + " at byte " + offset);
    }
}
