package com.revshare.reporting.domain;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded property runs (plain JUnit; see NOTES.md for why not jqwik): a property is tried
 * {@code tries} times, each try with its own seed drawn from one base seed. The base seed is
 * random unless {@code -Drevshare.seed=N} fixes it; a failing try names the base seed and the
 * try's own seed, so {@code -Drevshare.seed=<base>} replays the whole run and
 * {@link #replay(long, Property)} the one try.
 */
final class Seeded {
    private Seeded() {
    }

    /** A property over a {@link Random} that fails by throwing. */
    @FunctionalInterface
    interface Property {
        void check(Random random) throws Exception;
    }

    static void forAll(String name, int tries, Property property) {
        long base = Long.getLong("revshare.seed", new SplittableRandom().nextLong());
        SplittableRandom seeds = new SplittableRandom(base);
        for (int t = 0; t < tries; t++) {
            long seed = seeds.nextLong();
            try {
                property.check(new Random(seed));
            } catch (Throwable failure) {
                throw new AssertionError(name + " failed at try " + t + " of " + tries + " (try seed " + seed
                        + "; rerun all with -Drevshare.seed=" + base + "): " + failure, failure);
            }
        }
    }

    /** Runs one try again from its own seed (the "try seed" of a failure). */
    static void replay(long seed, Property property) throws Exception {
        property.check(new Random(seed));
    }
}
