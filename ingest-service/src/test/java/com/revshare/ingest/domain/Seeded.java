package com.revshare.ingest.domain;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded property runs for plain JUnit (not jqwik, whose authors do not allow use by AI agents: NOTES.md): each try gets its own {@link Random} from a
 * seed derived from the base seed, and a failure names the seed that reproduces it. The base seed is
 * {@code -Drevshare.seed=<n>} when given, else fixed, so a run is repeatable.
 */
final class Seeded {
    static final long BASE_SEED = Long.getLong("revshare.seed", 0x5EED_2026L);

    private Seeded() {
    }

    /** Runs {@code tries} tries; on a failure throws an AssertionError naming the try's seed. */
    static void forAll(String property, int tries, Consumer<Random> check) {
        Random seeds = new Random(BASE_SEED ^ property.hashCode());
        for (int i = 0; i < tries; i++) {
            long seed = seeds.nextLong();
            try {
                check.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(property + " failed at try " + i + " with seed " + seed
                        + " (base seed " + BASE_SEED + ", -Drevshare.seed to change it): " + e.getMessage(), e);
            }
        }
    }
}
