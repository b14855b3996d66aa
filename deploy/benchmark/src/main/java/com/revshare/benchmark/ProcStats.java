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
    record Group(String name, int processes, double cpuSeconds, long rssKb, long pssKb, long maxHwmKb) {
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
                hwm = Math.max(hwm, p.get().hwmKb());
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

    /** The pids whose command line contains {@code needle} (for a system the benchmark did not start). */
    static List<Long> byCommandLine(String needle) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .map(ProcessHandle::pid).sorted().toList();
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
