package com.revshare.infra;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * POSIX signals to a process by pid through {@code kill(1)}: Java's Process API has only TERM
 * and KILL, the fault tests also need STOP, CONT and QUIT.
 */
public final class Signals {
    private Signals() {
    }

    /**
     * Sends {@code signal} (a name without {@code SIG}: STOP, CONT, KILL, QUIT) to {@code pid}.
     * Returns whether {@code kill} succeeded (false when the process is already gone).
     */
    public static boolean send(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
