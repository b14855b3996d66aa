package com.revshare.infra;

import java.io.IOException;
import java.time.Duration;
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

    /**
     * Ends a child process: TERM, then KILL if it has not exited within {@code grace} (or the wait
     * is interrupted). Returns at once for a process that has already exited.
     */
    public static void terminate(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
