package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/**
 * The resumable SHA-256 behind stored period proofs equals the JDK's SHA-256 for any input and any
 * split of it into updates and save/resume points (seeded: a failure names its seed).
 */
class ResumableSha256Test {

    @Test
    void knownVectors() {
        // given the FIPS 180-4 examples, when hashed, then the published digests
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
        assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    }

    @Test
    void equalsTheJdkForEverySplitAndResumePoint() {
        Seeded.forAll("resumable sha-256", 1000, random -> {
            // given random bytes, cut into random updates, the state saved and resumed at random cuts
            int size = random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(70);
            byte[] data = new byte[size];
            random.nextBytes(data);
            ResumableSha256 sha = new ResumableSha256();
            int offset = 0;
            while (offset < size) {
                int n = 1 + random.nextInt(Math.min(size - offset, 130));
                byte[] part = new byte[n];
                System.arraycopy(data, offset, part, 0, n);
                sha.update(part);
                offset += n;
                if (random.nextBoolean()) {
                    sha = ResumableSha256.resume(sha.state());
                }
            }
            // when the digest is taken (twice: it leaves the state alone), then it is the JDK's
            String want = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            assertEquals(want, sha.hex());
            assertEquals(want, ResumableSha256.resume(sha.state()).hex());
        });
    }

    @Test
    void refusesAStateThatIsNotOne() {
        // given a saved state cut short or with a tail that does not match its length, when resumed, then refused
        byte[] state = new ResumableSha256().state();
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume(new byte[3]));
        byte[] wrongTail = new byte[state.length + 1];
        System.arraycopy(state, 0, wrongTail, 0, state.length);
        assertThrows(IllegalArgumentException.class, () -> ResumableSha256.resume(wrongTail));
    }

    private static String hex(String text) {
        ResumableSha256 sha = new ResumableSha256();
        sha.update(text.getBytes(StandardCharsets.US_ASCII));
        return sha.hex();
    }
}
