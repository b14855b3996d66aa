package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** SPEC §4.1 line format and hash, independently of the streaming implementation. */
class PeriodProofTest {
    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPeriodWithoutEntriesHasTheHashOfTheEmptyText() {
        PeriodProof.Proof proof = new PeriodProof().result();
        assertEquals(0, proof.entryCount());
        assertNull(proof.firstSequence());
        assertNull(proof.lastSequence());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", proof.sha256());
    }

    @Test
    void linesAreThePipeSeparatedFieldsWithEmptyNullsEachEndedByANewline() throws Exception {
        // given a usage entry and a close
        PeriodProof proof = new PeriodProof();
        proof.add(7, "e-7", "USAGE", "0.28125000", "USD", "ev-1", "m", "output_tokens", "125000", "1.87500000", "3",
                "rev", null, null);
        proof.add(9, "e-9", "PERIOD_CLOSED", "0.00000000", "USD", null, null, null, null, null, null, null, null,
                null);

        // when
        PeriodProof.Proof result = proof.result();

        // then
        assertEquals(2, result.entryCount());
        assertEquals(7L, result.firstSequence());
        assertEquals(9L, result.lastSequence());
        assertEquals(sha256("7|e-7|USAGE|0.28125000|USD|ev-1|m|output_tokens|125000|1.87500000|3|rev||\n"
                + "9|e-9|PERIOD_CLOSED|0.00000000|USD|||||||||\n"), result.sha256());
        assertThrows(IllegalArgumentException.class, () -> proof.add(8, "x"));
    }
}
