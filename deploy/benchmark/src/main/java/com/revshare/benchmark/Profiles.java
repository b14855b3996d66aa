package com.revshare.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Java Flight Recorder in the services (started and dumped with {@code jcmd}), and a plain-text
 * digest of a recording: the hottest methods by CPU samples (self time), the hottest revshare
 * frames (the first com.revshare frame of each sample: which of the service's own methods the
 * CPU time is spent under) and where threads wait in native code (socket reads = waiting for
 * PostgreSQL or Kafka).
 */
final class Profiles {
    private Profiles() {
    }

    static void start(long pid, Path file) {
        jcmd(pid, "JFR.start", "name=benchmark", "settings=profile", "filename=" + file);
    }

    /**
     * Starts a recording in each running instance ({@code name -> pid}; 0 = not running) into
     * {@code dir/<name>.jfr}; the pids and files of the recordings started.
     */
    static Map<Long, Path> startAll(Map<String, Long> instancePids, Path dir) {
        Map<Long, Path> started = new java.util.LinkedHashMap<>();
        instancePids.forEach((name, pid) -> {
            if (pid != 0) {
                Path file = dir.resolve(name + ".jfr");
                start(pid, file);
                started.put(pid, file);
            }
        });
        return started;
    }

    static void stop(long pid) {
        jcmd(pid, "JFR.stop", "name=benchmark");
    }

    private static void jcmd(long pid, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(Long.toString(pid));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                System.out.println("[benchmark] jcmd " + String.join(" ", args) + " failed: " + out.trim());
            }
        } catch (IOException e) {
            System.out.println("[benchmark] jcmd not available: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes {@code <recording>.txt} with the digest and returns its text. */
    static String digest(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> revshare = new HashMap<>();
        Map<String, Integer> nativeWaits = new HashMap<>();
        int cpuSamples = 0;
        int nativeSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            boolean cpu = "jdk.ExecutionSample".equals(type);
            boolean nat = "jdk.NativeMethodSample".equals(type);
            if (!cpu && !nat) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (cpu) {
                cpuSamples++;
                String caller = "(no revshare frame)";
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("com.revshare.")) {
                        caller = name(f);
                        revshare.merge(caller, 1, Integer::sum);
                        break;
                    }
                }
                self.merge(name(frames.get(0)) + "  <- " + caller, 1, Integer::sum);
            } else {
                nativeSamples++;
                String where = name(frames.get(0));
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("com.revshare.")) {
                        where = where + " <- " + name(f);
                        break;
                    }
                }
                nativeWaits.merge(where, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("JFR digest of ").append(recording.getFileName()).append('\n');
        section(out, "hottest methods (self, with the first revshare frame under them; " + cpuSamples + " CPU samples)", self, cpuSamples, top);
        section(out, "hottest revshare frames (first com.revshare frame of each CPU sample)", revshare, cpuSamples, top);
        section(out, "native waits (" + nativeSamples + " samples of threads in native code)", nativeWaits, nativeSamples, top);
        Files.writeString(Path.of(recording + ".txt"), out);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Integer> counts, int total, int top) {
        out.append("\n== ").append(title).append('\n');
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> out.append(String.format("%6.1f%%  %6d  %s%n", 100.0 * v / Math.max(1, total), v, k)));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }
}
