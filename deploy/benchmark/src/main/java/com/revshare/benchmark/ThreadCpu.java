package com.revshare.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CPU per thread over a phase, from {@code /proc/<pid>/task/<tid>/stat}: which thread of each
 * process (or which PostgreSQL backend) was busiest. A thread near one full core is serial
 * work that more cores cannot speed up: what limits a single partner's rate, whose events are
 * handled in order by one thread per stage. Threads that ended before the phase did are not
 * seen (the services' workers live as long as their JVM).
 */
final class ThreadCpu {
    /** A saturated thread uses at least this share of one core. */
    static final double SATURATED = 0.85;

    /** One process group's busiest thread in the phase. */
    record Thread(String group, long pid, String name, double cores) {
    }

    /** Per process group its busiest thread, and the busiest of all (what limits a serial rate). */
    record Busiest(double wallSeconds, Map<String, Thread> byGroup) {
        Thread top() {
            Thread top = null;
            for (Thread t : byGroup.values()) {
                if (top == null || t.cores() > top.cores()) {
                    top = t;
                }
            }
            return top;
        }

        boolean saturated() {
            return top() != null && top().cores() >= SATURATED;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            byGroup.values().forEach(t -> b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT,
                    "%s %s %.2f", t.group(), t.name(), t.cores())));
            Thread top = top();
            return b + (top == null ? "" : saturated()
                    ? String.format(Locale.ROOT, " cores; limited by %s's thread %s (%.2f of one core)", top.group(), top.name(), top.cores())
                    : " cores; no thread saturated");
        }

        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            byGroup.forEach((g, t) -> o.putObject(g).put("thread", t.name()).put("pid", t.pid()).put("cores", Log.round(t.cores(), 2)));
            Thread top = top();
            if (top != null) {
                o.putObject("limit").put("process", top.group()).put("thread", top.name())
                        .put("cores", Log.round(top.cores(), 2)).put("saturated", saturated())
                        .put("note", "the busiest single thread (or PostgreSQL backend) of the phase; saturated = at least "
                                + SATURATED + " of one core: serial work that more cores do not speed up");
            }
            return o;
        }
    }

    private record Task(String group, long pid, String name, double cpuSeconds) {
    }

    private final Map<String, Supplier<List<Long>>> groups;
    private final Map<String, Task> start;
    private final long startNanos = System.nanoTime();

    private ThreadCpu(Map<String, Supplier<List<Long>>> groups) {
        this.groups = new LinkedHashMap<>(groups);
        this.start = snapshot();
    }

    static ThreadCpu open(Map<String, Supplier<List<Long>>> groups) {
        return new ThreadCpu(groups);
    }

    Busiest close() {
        double wall = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        Map<String, Task> end = snapshot();
        Map<String, Thread> busiest = new LinkedHashMap<>();
        end.forEach((key, t) -> {
            Task before = start.get(key);
            double cores = (t.cpuSeconds() - (before == null ? 0 : before.cpuSeconds())) / wall;
            Thread current = busiest.get(t.group());
            if (current == null || cores > current.cores()) {
                busiest.put(t.group(), new Thread(t.group(), t.pid(), t.name(), cores));
            }
        });
        busiest.replaceAll((g, t) -> "postgresql".equals(g) ? new Thread(g, t.pid(), backend(t.pid()), t.cores()) : t);
        return new Busiest(wall, busiest);
    }

    private Map<String, Task> snapshot() {
        Map<String, Task> tasks = new HashMap<>();
        groups.forEach((group, pids) -> {
            for (long pid : pids.get()) {
                try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                    for (Path task : dir) {
                        read(group, pid, task).ifPresent(t -> tasks.put(group + "/" + pid + "/" + task.getFileName(), t));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended
                }
            }
        });
        return tasks;
    }

    private static java.util.Optional<Task> read(String group, long pid, Path task) {
        try {
            String stat = Files.readString(task.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] f = stat.substring(close + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / ProcStats.CLOCK_TICKS_PER_SECOND;
            return java.util.Optional.of(new Task(group, pid, stat.substring(open + 1, close), cpu));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** A PostgreSQL backend's title (its database and state), e.g. "postgres: postgres bench_ledger ...". */
    private static String backend(long pid) {
        try {
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            String[] words = cmd.split("\\s+");
            // "postgres: <user> <database> <client> <state>": keep the database
            return words.length >= 3 && words[0].startsWith("postgres:") ? "backend of " + words[2] : "backend " + pid;
        } catch (IOException | RuntimeException e) {
            return "backend " + pid;
        }
    }
}
