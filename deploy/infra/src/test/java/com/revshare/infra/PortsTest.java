package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void portsAreOutsideTheEphemeralRangeAndHandedOutOnce() {
        int[] ephemeral = Ports.ephemeralRange();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = Ports.free();
            assertFalse(port >= ephemeral[0] && port <= ephemeral[1],
                    port + " lies in the ephemeral range " + ephemeral[0] + "-" + ephemeral[1]
                            + ", where an outgoing connection can take it while its owner restarts");
            assertTrue(port >= 1024 && port <= 65_535, "port " + port);
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
        assertEquals(200, seen.size());
    }
}
