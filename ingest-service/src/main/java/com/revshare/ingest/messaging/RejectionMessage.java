package com.revshare.ingest.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import com.revshare.ingest.application.Outcome;

/**
 * The value of a record on revshare.usage.rejected (SPEC §2.5, docs/events/usage-rejection.v1.schema.json):
 * the reason, who and what could be read, and the first 64 KiB of the original bytes, as UTF-8 text when
 * they decode, else base64; size and sha256 are of the whole original.
 */
public record RejectionMessage(String reason, String detail, String partnerId, String eventId, String receivedAt,
        long size, String sha256, String rawEncoding, String raw) {

    static final int RAW_LIMIT_BYTES = 65536;

    public static RejectionMessage of(Outcome.Rejected rejection, byte[] original, Instant receivedAt) {
        byte[] bytes = original == null ? new byte[0] : original;
        byte[] head = bytes.length <= RAW_LIMIT_BYTES ? bytes : Arrays.copyOf(bytes, RAW_LIMIT_BYTES);
        String text = strictUtf8(head);
        return new RejectionMessage(rejection.reason().name(), rejection.detail(), rejection.partnerId(),
                rejection.eventId(), receivedAt.toString(), bytes.length, sha256(bytes),
                text != null ? "utf8" : "base64", text != null ? text : Base64.getEncoder().encodeToString(head));
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
