package com.revshare.infra;

/** What every JVM the infrastructure launches (broker, services) shares. */
final class Launch {
    private Launch() {
    }

    /**
     * Caps glibc's malloc arenas at two. Without it each thread that allocates natively may get
     * its own 64 MB arena (up to 8 per core), which shows up as resident memory of a JVM with many
     * threads (the broker has ~90) without buying speed on a two-core machine. An
     * {@code MALLOC_ARENA_MAX} already set in the environment wins.
     */
    static void leanNativeMemory(ProcessBuilder builder) {
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
    }
}
