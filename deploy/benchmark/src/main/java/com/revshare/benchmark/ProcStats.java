package com.revshare.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CPU time and memory of a group of processes from Linux's /proc: {@code stat} (utime + stime,
 * plus cutime + cstime of the group's first process, which holds the CPU of children it has
 * reaped, e.g. PostgreSQL backends that ended), {@code status} (VmRSS, VmHWM = peak RSS) and
 * {@code smaps_rollup} (Pss: shared pages divided among the processes that map them, so the
 * shared buffers of PostgreSQL's processes are counted once, not once per process).
 */
final class ProcStats {
    static final double CLOCK_TICKS_PER_SECOND = 100.0;

    /** One process at one moment. */
    record Proc(long pid, double cpuSeconds, double reapedChildrenCpuSeconds, long rssKb, long hwmKb, long pssKb) {
    }

    /** A group (e.g. "postgresql": the postmaster and its children) at one moment. */
    record Group(String name, int processes, double cpuSeconds, long rssKb, long pssKb, long hwmKb) {
    }

    private ProcStats() {
    }

    static Optional<Proc> read(long pid) {
        Path dir = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14, stime 15, cutime 16, cstime 17
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
            double children = (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS_PER_SECOND;
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            long pss = rss;
            Path rollup = dir.resolve("smaps_rollup");
            if (Files.isReadable(rollup)) {
                for (String line : Files.readAllLines(rollup)) {
                    if (line.startsWith("Pss:")) {
                        pss = kb(line);
                        break;
                    }
                }
            }
            return Optional.of(new Proc(pid, cpu, children, rss, hwm, pss));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process ended between listing and reading
        }
    }

    /** The group's current figures; its first pid's reaped children count towards its CPU. */
    static Group group(String name, List<Long> pids) {
        int n = 0;
        double cpu = 0;
        long rss = 0;
        long pss = 0;
        long hwm = 0;
        boolean first = true;
        for (long pid : pids) {
            Optional<Proc> p = read(pid);
            if (p.isPresent()) {
                n++;
                cpu += p.get().cpuSeconds() + (first ? p.get().reapedChildrenCpuSeconds() : 0);
                rss += p.get().rssKb();
                pss += p.get().pssKb();
                hwm += p.get().hwmKb(); // several instances of a service: their peaks summed
            }
            first = false;
        }
        return new Group(name, n, cpu, rss, pss, hwm);
    }

    /**
     * CPU seconds the whole machine has been busy since boot (all cores: user, nice, system, irq,
     * softirq, steal from /proc/stat), to tell how much of the machine other processes took.
     */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A process and its live descendants (first the process itself), from /proc's parent links. */
    static List<Long> withChildren(long rootPid) {
        List<Long> result = new ArrayList<>();
        result.add(rootPid);
        ProcessHandle.of(rootPid).ifPresent(h -> h.descendants().forEach(d -> result.add(d.pid())));
        return result;
    }

    /** A supplier of the pids of a PostgreSQL server: its postmaster (from postmaster.pid) and children. */
    static Supplier<List<Long>> postgres(Path dataDir) {
        return () -> {
            try {
                long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
                return withChildren(postmaster);
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        };
    }

    /**
     * The process listening on a local TCP port (from /proc/net/tcp{,6} and the socket links in
     * /proc/&lt;pid&gt;/fd), or 0: how a system the benchmark did not start is told apart from other
     * brokers and servers on the same machine.
     */
    static long listeningPid(int port) {
        java.util.Set<String> inodes = new java.util.HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].contains(":") && "0A".equals(f[3])
                            && Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16) == port) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            } catch (IOException | RuntimeException e) {
                // no such table
            }
        }
        if (inodes.isEmpty()) {
            return 0;
        }
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : (Iterable<Path>) dirs.filter(x -> x.getFileName().toString().matches("[0-9]+"))::iterator) {
                try (var fds = Files.list(d.resolve("fd"))) {
                    for (Path fd : (Iterable<Path>) fds::iterator) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return Long.parseLong(d.getFileName().toString());
                            }
                        } catch (IOException | RuntimeException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    /** The pids whose command line contains {@code needle} (for a system the benchmark did not start). */
    static List<Long> byCommandLine(String needle) {
        // /proc/<pid>/cmdline itself: ProcessHandle.Info drops the arguments of long command lines
        List<Long> found = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.filter(d -> d.getFileName().toString().matches("[0-9]+")).forEach(d -> {
                try {
                    String cmd = new String(Files.readAllBytes(d.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmd.contains(needle) && Long.parseLong(d.getFileName().toString()) != ProcessHandle.current().pid()) {
                        found.add(Long.parseLong(d.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // ended meanwhile, or not ours to read
                }
            });
        } catch (IOException e) {
            return List.of();
        }
        found.sort(null);
        return found;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
