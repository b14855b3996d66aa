package com.revshare.reporting.domain;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) whose running state can be saved and resumed: a period proof (SPEC §4.1)
 * is a hash over every entry of the period in sequence order, and the projection extends it batch
 * by batch from the state it stored, so a statement reads one row instead of re-hashing every entry
 * of the period (issue 14). {@code java.security.MessageDigest} cannot export its state.
 * The saved state is 8 words of chaining value, the message length and the unhashed tail of
 * fewer than 64 bytes. Equal to {@code MessageDigest.getInstance("SHA-256")} for every split of
 * the input (ResumableSha256Test).
 */
public final class ResumableSha256 {
    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2 };
    private static final int[] INITIAL = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    /** Bytes of a saved state besides its tail: 8 words and the length. */
    private static final int FIXED_STATE_BYTES = 8 * 4 + 8;

    private final int[] h;
    private final byte[] block = new byte[64];
    private final int[] w = new int[64];
    private int blockLength;
    private long length;

    public ResumableSha256() {
        h = INITIAL.clone();
    }

    private ResumableSha256(int[] h, long length, byte[] tail) {
        this.h = h;
        this.length = length;
        System.arraycopy(tail, 0, block, 0, tail.length);
        this.blockLength = tail.length;
    }

    /** Resumes from a {@link #state()}. */
    public static ResumableSha256 resume(byte[] state) {
        if (state.length < FIXED_STATE_BYTES || state.length >= FIXED_STATE_BYTES + 64) {
            throw new IllegalArgumentException("not a SHA-256 state: " + state.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(state);
        int[] h = new int[8];
        for (int i = 0; i < 8; i++) {
            h[i] = in.getInt();
        }
        long length = in.getLong();
        byte[] tail = Arrays.copyOfRange(state, FIXED_STATE_BYTES, state.length);
        if (length < 0 || length % 64 != tail.length) {
            throw new IllegalArgumentException("not a SHA-256 state: length " + length + ", tail " + tail.length);
        }
        return new ResumableSha256(h, length, tail);
    }

    /** The running state, to {@link #resume} from later. */
    public byte[] state() {
        ByteBuffer out = ByteBuffer.allocate(FIXED_STATE_BYTES + blockLength);
        for (int word : h) {
            out.putInt(word);
        }
        out.putLong(length);
        out.put(block, 0, blockLength);
        return out.array();
    }

    public void update(byte[] data) {
        int offset = 0;
        int remaining = data.length;
        length += remaining;
        while (remaining > 0) {
            int n = Math.min(64 - blockLength, remaining);
            System.arraycopy(data, offset, block, blockLength, n);
            blockLength += n;
            offset += n;
            remaining -= n;
            if (blockLength == 64) {
                compress(h, block, w);
                blockLength = 0;
            }
        }
    }

    /** The lowercase hex digest of everything so far; the running state is left as it is. */
    public String hex() {
        int[] hh = h.clone();
        byte[] last = new byte[128];
        System.arraycopy(block, 0, last, 0, blockLength);
        last[blockLength] = (byte) 0x80;
        int total = blockLength + 1 + 8 <= 64 ? 64 : 128;
        long bits = length * 8;
        for (int i = 0; i < 8; i++) {
            last[total - 1 - i] = (byte) (bits >>> (8 * i));
        }
        int[] ww = new int[64];
        compress(hh, Arrays.copyOfRange(last, 0, 64), ww);
        if (total == 128) {
            compress(hh, Arrays.copyOfRange(last, 64, 128), ww);
        }
        ByteBuffer digest = ByteBuffer.allocate(32);
        for (int word : hh) {
            digest.putInt(word);
        }
        return HexFormat.of().formatHex(digest.array());
    }

    private static void compress(int[] h, byte[] block, int[] w) {
        for (int i = 0; i < 16; i++) {
            w[i] = (block[4 * i] & 0xff) << 24 | (block[4 * i + 1] & 0xff) << 16 | (block[4 * i + 2] & 0xff) << 8
                    | (block[4 * i + 3] & 0xff);
        }
        for (int i = 16; i < 64; i++) {
            int s0 = Integer.rotateRight(w[i - 15], 7) ^ Integer.rotateRight(w[i - 15], 18) ^ (w[i - 15] >>> 3);
            int s1 = Integer.rotateRight(w[i - 2], 17) ^ Integer.rotateRight(w[i - 2], 19) ^ (w[i - 2] >>> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        int a = h[0];
        int b = h[1];
        int c = h[2];
        int d = h[3];
        int e = h[4];
        int f = h[5];
        int g = h[6];
        int hh = h[7];
        for (int i = 0; i < 64; i++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = hh + s1 + ch + K[i] + w[i];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = s0 + maj;
            hh = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += hh;
    }
}
