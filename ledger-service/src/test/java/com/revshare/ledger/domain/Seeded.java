package com.revshare.ledger.domain;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded property runs in plain JUnit (no jqwik: its authors do not allow use by AI agents). A property
 * runs {@code tries} times, try i with {@code new Random(base + i)}; a failure names the property, the try
 * and its seed, and {@code -Drevshare.seed=<seed> -Drevshare.tries=1} replays exactly that try. The base
 * seed is random per run unless {@code revshare.seed} is set, so runs explore new cases while each
 * failure stays reproducible.
 */
final class Seeded {
    private Seeded() {
    }

    static void forAll(String property, int tries, Consumer<Random> body) {
        long base = Long.getLong("revshare.seed", new Random().nextLong());
        int n = Integer.getInteger("revshare.tries", tries);
        for (int i = 0; i < n; i++) {
            long seed = base + i;
            try {
                body.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed on try " + (i + 1) + " of " + n + " with seed " + seed
                        + " (replay: -Drevshare.seed=" + seed + " -Drevshare.tries=1): " + e.getMessage(), e);
            }
        }
    }
}
