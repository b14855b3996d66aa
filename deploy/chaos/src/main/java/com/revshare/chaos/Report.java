package com.revshare.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.SerializationFeature;

/** Writes a run's report: {@code report.md} for people, {@code report.json} for tools. */
final class Report {
    private Report() {
    }

    static void write(Path out, Options o, Workload w, List<Faults.Logged> faults, List<Checker.Invariant> invariants,
            Map<String, Object> counts, Map<String, Object> timings, ChaosSystem system, Path work) {
        boolean passed = invariants.stream().allMatch(Checker.Invariant::pass);
        Map<String, Object> machine = machine();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("result", passed ? "PASSED" : "FAILED");
        json.put("finishedAt", Instant.now().toString());
        json.put("machine", machine);
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("events", o.events);
        opts.put("faults", o.faults);
        opts.put("seed", o.seed);
        opts.put("fuzz", o.fuzz);
        opts.put("partners", w.partners);
        opts.put("latePartner", w.latePartner + " (month " + w.closedMonth + " closed)");
        opts.put("httpShare", o.httpShare);
        opts.put("duplicateRate", o.duplicateRate);
        opts.put("ratePerSecond", o.ratePerSecond);
        opts.put("instances", List.copyOf(system.instances.keySet()));
        json.put("options", opts);
        json.put("timings", timings);
        json.put("counts", counts);
        json.put("faults", faults);
        json.put("invariants", invariants);

        StringBuilder md = new StringBuilder();
        md.append("# revshare fault suite — ").append(passed ? "PASSED" : "FAILED").append("\n\n");
        md.append("- finished: ").append(json.get("finishedAt")).append('\n');
        md.append("- machine: ").append(machine).append('\n');
        md.append("- options: ").append(opts).append('\n');
        md.append("- timings (s): ").append(timings).append('\n');
        md.append("- counts: ").append(counts).append("\n\n");
        md.append("## Faults\n\n| # | at (s) | events offered | fault | target | down (ms) | recovered after (s) | outcome |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Faults.Logged f : faults) {
            md.append("| ").append(f.number()).append(" | ").append(f.atSeconds()).append(" | ").append(f.offeredEvents())
                    .append(" | ").append(f.kind()).append(" | ").append(f.target() == null ? "" : f.target())
                    .append(" | ").append(f.downMillis()).append(" | ").append(f.recoveredAfterSeconds()).append(" | ")
                    .append(f.outcome()).append(" |\n");
        }
        md.append("\n## Invariants\n\n| result | invariant | evidence |\n|---|---|---|\n");
        for (Checker.Invariant i : invariants) {
            md.append("| ").append(i.pass() ? "PASS" : "**FAIL**").append(" | ").append(i.name()).append(" | ")
                    .append(i.evidence().replace("|", "\\|").replace("\n", " ")).append(" |\n");
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("report.md"), md);
            Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("report.json").toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println();
        System.out.println(md);
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.version"));
        try {
            String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
            m.put("memory", mem);
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return m;
    }
}
