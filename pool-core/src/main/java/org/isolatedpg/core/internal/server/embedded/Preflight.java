package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.ServerSettings;

/**
 * Checks what makes the embedded server fail on a machine, before it does: binaries for this platform, running as
 * root without user namespaces, room in the data directory's file system. Each problem comes with its fix.
 */
public final class Preflight {

    /** Room a data directory needs: the cluster, templates, and a few clones of each at once. */
    private static final long MIN_FREE_BYTES = 1L << 30;

    /**
     * One check's outcome.
     *
     * @param fix what to do about a problem; null when the check passed
     */
    public record Check(String name, boolean ok, String detail, String fix) {}

    private Preflight() {}

    /** Runs every check for the embedded server the settings name. */
    public static List<Check> run(ServerSettings settings) {
        List<Check> checks = new ArrayList<>();
        checks.add(binaries(settings));
        checks.add(user());
        checks.add(space(settings.dataDirectory().value()));
        checks.add(new Check(
                "locale",
                true,
                "the cluster is made with --locale=C and UTF8, whatever the machine's locale (LANG="
                        + System.getenv().getOrDefault("LANG", "unset") + ")",
                null));
        return checks;
    }

    private static Check binaries(ServerSettings settings) {
        String platform;
        try {
            platform = Platform.current().artifact();
        } catch (RuntimeException e) {
            return new Check(
                    "binaries",
                    false,
                    "no PostgreSQL binaries are published for this platform (" + System.getProperty("os.name") + " "
                            + System.getProperty("os.arch") + "): " + e.getMessage(),
                    "use an existing server: set PGHOST (or '" + ConfigKeys.SERVER_MODE + "' = external and '"
                            + ConfigKeys.SERVER_URL + "')");
        }
        try {
            Path installation = Binaries.prepare(settings.cacheDirectory().value(), settings.binariesRepository());
            return new Check("binaries", true, platform + ", unpacked in " + installation, null);
        } catch (IOException | RuntimeException e) {
            return new Check(
                    "binaries",
                    false,
                    platform + " could not be had: " + e.getMessage(),
                    "let the build reach Maven Central, set '" + ConfigKeys.EMBEDDED_BINARIES_REPOSITORY
                            + "' to a mirror, or add io.zonky.test.postgres:" + platform + " to the dependencies");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("binaries", false, "interrupted", "run again");
        }
    }

    private static Check user() {
        if (!Commands.runningAsRoot()) {
            return new Check("user", true, "not root: PostgreSQL runs as " + System.getProperty("user.name"), null);
        }
        try {
            Process process = new ProcessBuilder("unshare", "-U", "true")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return new Check(
                        "user",
                        true,
                        "root, which PostgreSQL refuses; it runs in a user namespace of its own (unshare -U works)",
                        null);
            }
            return new Check(
                    "user",
                    false,
                    "root, which PostgreSQL refuses, and unshare -U fails: " + output,
                    "run the build as a non-root user, or allow unprivileged user namespaces (sysctl"
                            + " user.max_user_namespaces > 0; in a container, a seccomp profile that permits unshare)");
        } catch (IOException e) {
            return new Check(
                    "user",
                    false,
                    "root, which PostgreSQL refuses, and unshare is not installed: " + e.getMessage(),
                    "run the build as a non-root user, or install util-linux (unshare)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("user", false, "interrupted", "run again");
        }
    }

    private static Check space(Path dataDirectory) {
        try {
            Path existing = dataDirectory.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return new Check("space", false, dataDirectory + " cannot be made", fixSpace());
            }
            FileStore store = Files.getFileStore(existing);
            long free = store.getUsableSpace();
            String detail = (free >> 20) + " MB free in " + dataDirectory + " (" + store.type() + ")";
            return free >= MIN_FREE_BYTES
                    ? new Check("space", true, detail, null)
                    : new Check("space", false, detail + ", less than " + (MIN_FREE_BYTES >> 20) + " MB", fixSpace());
        } catch (IOException e) {
            return new Check("space", false, "could not read " + dataDirectory + ": " + e.getMessage(), fixSpace());
        }
    }

    private static String fixSpace() {
        return "set '" + ConfigKeys.EMBEDDED_DATA_DIRECTORY
                + "' to a directory on a file system with at least 1 GB free";
    }
}
