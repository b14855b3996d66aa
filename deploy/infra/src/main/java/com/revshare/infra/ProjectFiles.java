package com.revshare.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's root directory (the one holding docs/ and the service modules) from the working directory. */
public final class ProjectFiles {
    private ProjectFiles() {
    }

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("docs/events")) && Files.isDirectory(dir.resolve("ledger-service"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("project root not found above " + Path.of("").toAbsolutePath());
    }
}
