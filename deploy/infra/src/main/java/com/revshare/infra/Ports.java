package com.revshare.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free loopback ports for the processes the infrastructure starts.
 *
 * <p>A port is chosen outside the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}),
 * never with {@code new ServerSocket(0)}: a port from that range is free when chosen, but any
 * outgoing connection (a Kafka client, a JDBC pool) may take it as its local port while the
 * process that owns it is down, and a restart on the same port then fails with "address in use".
 * The fault suite restarts instances on their ports, so this happened there. Ports outside the
 * range are only ever taken by a listener. A port is handed out once per JVM.
 */
public final class Ports {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Where the search starts below the ephemeral range: clear of well-known service ports. */
    private static final int LOWEST = 15_000;
    private static final int ATTEMPTS = 2_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    public static synchronized int free() {
        int[] ephemeral = ephemeralRange();
        int below = Math.max(0, ephemeral[0] - LOWEST);
        int above = Math.max(0, 65_535 - ephemeral[1]);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < ATTEMPTS && below + above > 0; attempt++) {
            int pick = random.nextInt(below + above);
            int port = pick < below ? LOWEST + pick : ephemeral[1] + 1 + (pick - below);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port outside the ephemeral range "
                + ephemeral[0] + "-" + ephemeral[1] + " after " + ATTEMPTS + " attempts");
    }

    /** The given port, or a free one when it is 0. */
    public static int orFree(int port) {
        return port == 0 ? free() : port;
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The kernel's ephemeral range; Linux's default when it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999};
        }
    }
}
