package org.isolatedpg.server.internal.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.Configuration;
import org.isolatedpg.server.internal.config.ServeSettings;
import org.isolatedpg.server.internal.engine.Doctor;
import org.isolatedpg.server.internal.engine.Durations;
import org.isolatedpg.server.internal.engine.Inventory;

/** The commands that look after a server: {@code list}, {@code prune}, {@code stop} and {@code doctor}. */
final class Admin {

    private final Configuration config;
    private final PrintStream out;

    Admin(Configuration config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Every database of ours on the server: kind, size, owner and whether it is alive, last use, client's hash. */
    int list() {
        try (Inventory inventory = Inventory.open(config.serverSettings())) {
            List<Inventory.Entry> entries = inventory.list();
            out.println(inventory.description() + ":");
            print(entries);
            return 0;
        }
    }

    /** Lists what may go; drops it with {@code --yes}. */
    int prune(Duration olderThan, boolean yes) {
        try (Inventory inventory = Inventory.open(config.serverSettings())) {
            List<Inventory.Entry> prunable = inventory.prunable(olderThan);
            out.println(inventory.description() + ": " + prunable.size() + " to drop (databases of JVMs that are gone,"
                    + " templates unused for over " + olderThan + ")" + (prunable.isEmpty() ? "." : ":"));
            print(prunable);
            if (prunable.isEmpty()) {
                return 0;
            }
            if (!yes) {
                out.println("A dry run: nothing was dropped. Run again with --yes to drop them.");
                return 0;
            }
            inventory.prune(prunable).forEach(out::println);
            return 0;
        }
    }

    int stop(boolean force) {
        out.println(Inventory.stopEmbedded(config.serverSettings(), force));
        return 0;
    }

    int doctor(ServeSettings settings, int parallelism) {
        List<Doctor.Check> checks =
                Doctor.run(settings.server(), settings.engine().pool(), settings.address(), parallelism);
        boolean ok = true;
        for (Doctor.Check check : checks) {
            out.printf(Locale.ROOT, "%-4s %-12s %s%n", check.ok() ? "ok" : "FAIL", check.name(), check.detail());
            if (!check.ok()) {
                ok = false;
                out.println("     fix:         " + check.fix());
            }
        }
        out.println(ok ? "No problems found." : "Problems found: see each fix above.");
        return ok ? 0 : 1;
    }

    /** The default age for {@code prune}: the library's template retention. */
    Duration retention() {
        return config.serverSettings().templateRetention().value();
    }

    static Duration age(String value) {
        Duration age = Durations.parse(value);
        if (age == null || age.isNegative()) {
            throw new IllegalArgumentException("--older-than '" + value + "' is not a duration: use 7d, 12h, 30m or"
                    + " PT12H (the default is '" + ConfigKeys.TEMPLATE_RETENTION + "', 7d)");
        }
        return age;
    }

    private void print(List<Inventory.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "%-9s %-44s %10s %-9s %-6s %-20s %s%n",
                "KIND",
                "NAME",
                "SIZE",
                "OWNER",
                "STATE",
                "LAST USED",
                "HASH");
        long total = 0;
        for (Inventory.Entry entry : entries) {
            total += entry.sizeBytes();
            out.printf(
                    Locale.ROOT,
                    "%-9s %-44s %10s %-9s %-6s %-20s %s%n",
                    entry.kind(),
                    entry.name(),
                    megabytes(entry.sizeBytes()),
                    entry.owner() == null ? "-" : entry.owner(),
                    entry.alive() == null ? "-" : entry.alive() ? "alive" : "dead",
                    entry.lastUsed() == null ? "-" : entry.lastUsed().toString(),
                    entry.hash() == null ? "-" : entry.hash());
        }
        out.println(entries.size() + " database(s), " + megabytes(total) + " in all");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
