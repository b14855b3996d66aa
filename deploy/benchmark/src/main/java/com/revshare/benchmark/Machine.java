package com.revshare.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What machine a run was on, so that figures are never quoted without it. */
final class Machine {
    private Machine() {
    }

    static ObjectNode describe() {
        ObjectNode m = Api.JSON.createObjectNode();
        m.put("host", host());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        m.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverageStart", loadAverage());
        return m;
    }

    /** /proc/loadavg's 1, 5 and 15 minute load averages, e.g. "0.17 0.40 0.24". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
