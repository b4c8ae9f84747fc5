package org.isolatedpg.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.isolatedpg.core.internal.sql.OwnerSession;

/**
 * What isolated-postgres has on one server, by owner (the 8 hex digits of an attachment's identity): the "nothing
 * lost" oracle of the fault matrix. It holds our databases ({@code ipg_…}, invalid ones too), our roles, the client
 * sessions whose application name starts with {@code isolatedpg}, the advisory locks in our namespaces in the
 * {@code postgres} database, prepared transactions in our databases and, on the embedded server, its postmaster
 * processes, cluster and data directories and lock files.
 *
 * <p>An item goes to its owner when its name, application name or session says whose it is; the rest (templates,
 * builder sessions, files, processes) is {@link #SHARED}. It is read through {@link TargetServer#admin()}, a plain
 * connection that opens no attachment, so taking an inventory changes nothing.
 */
final class Inventory {

    /** The pseudo-owner of what belongs to no one attachment. */
    static final String SHARED = "(shared)";

    /** Names the library makes: clones and half-built templates carry their owner. */
    private static final Pattern OWNED_DATABASE = Pattern.compile("ipg_(?:build_)?[0-9a-f]{12}_([0-9a-f]{8})_[0-9]+");
    /** The first token of exactly eight lower-case hex digits in a role name, if any. */
    private static final Pattern OWNER_TOKEN = Pattern.compile("(?<=_)([0-9a-f]{8})(?=_|$)");

    /** Our advisory-lock namespaces run from {@link OwnerSession#OWNERS} to this one. */
    private static final long LAST_NAMESPACE = 0x49504704L;

    private static final Map<Long, String> NAMESPACES = Map.of(
            OwnerSession.OWNERS,
            "owners",
            OwnerSession.TEMPLATE_USERS,
            "template-users",
            OwnerSession.TEMPLATE_BUILDERS,
            "template-builders",
            0x49504704L,
            "0x49504704");

    private final String server;
    private final Map<String, SortedSet<String>> items;
    private final Set<String> liveOwners;

    private Inventory(String server, Map<String, SortedSet<String>> items, Set<String> liveOwners) {
        this.server = server;
        this.items = items;
        this.liveOwners = liveOwners;
    }

    /** Takes a snapshot. On an embedded server that is not running, only its files and processes. */
    /** Whether the owner is back to its baseline now: for awaiting what another thread or the janitor does. */
    static boolean isBackToBaseline(TargetServer server, Inventory baseline, String owner) throws Exception {
        try {
            of(server).since(baseline).assertBackToBaseline(owner, Set.of());
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    static Inventory of(TargetServer target) throws SQLException, IOException {
        Map<String, SortedSet<String>> items = new TreeMap<>();
        Set<String> live = new TreeSet<>();
        boolean running = !target.embedded() || target.embeddedServer().isPresent();
        if (running) {
            try (Connection connection = target.admin()) {
                new Reader(connection, items, live).read();
            }
        }
        if (target.embedded()) {
            readFiles(target, items);
        }
        return new Inventory(target.mode(), items, live);
    }

    /** Owners holding their owner lock. */
    Set<String> liveOwners() {
        return liveOwners;
    }

    /** Everything of one owner (or of {@link #SHARED}). */
    SortedSet<String> of(String owner) {
        return items.getOrDefault(owner, new TreeSet<>());
    }

    /** Our databases, by name, of every owner. */
    SortedSet<String> databases() {
        SortedSet<String> databases = new TreeSet<>();
        items.values()
                .forEach(owned -> owned.stream()
                        .filter(item -> item.startsWith("database "))
                        .map(item -> item.substring("database ".length()).split(" ")[0])
                        .forEach(databases::add));
        return databases;
    }

    /** What changed since {@code before}. */
    Diff since(Inventory before) {
        return new Diff(before, this);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("inventory of the " + server + " server:\n");
        items.forEach((owner, owned) -> {
            text.append("  ").append(label(owner, liveOwners)).append(":\n");
            owned.forEach(item -> text.append("    ").append(item).append('\n'));
        });
        return text.toString();
    }

    private static String label(String owner, Set<String> live) {
        return owner.equals(SHARED) ? SHARED : "owner " + owner + (live.contains(owner) ? " (alive)" : " (dead)");
    }

    static boolean isTemplate(String item) {
        return item.startsWith("database ipg_tpl_");
    }

    /**
     * What stays on purpose after the last JVM leaves: templates (for the next run) and, on the embedded server, the
     * cluster with its data directory and the two lock files (which hold no lock then).
     */
    static boolean persists(String item) {
        return isTemplate(item)
                || item.startsWith("directory ")
                || item.endsWith("/cluster.lock")
                || item.endsWith("/attached.lock");
    }

    /** The owner in a database name the library made; null for templates and names not of our form. */
    static String ownerOf(String database) {
        Matcher matcher = OWNED_DATABASE.matcher(database);
        return matcher.matches() ? matcher.group(1) : null;
    }

    private static void add(Map<String, SortedSet<String>> items, String owner, String item) {
        items.computeIfAbsent(owner == null ? SHARED : owner, key -> new TreeSet<>())
                .add(item);
    }

    /** The queries, on one connection. */
    private record Reader(Connection connection, Map<String, SortedSet<String>> items, Set<String> live) {

        void read() throws SQLException {
            Map<Integer, String> ownerPids = owners();
            databases();
            roles();
            sessions(ownerPids);
            locks(ownerPids);
            preparedTransactions();
        }

        private Map<Integer, String> owners() throws SQLException {
            Map<Integer, String> pids = new HashMap<>();
            query(
                    "SELECT pid, objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
                            + " AND classid::bigint = " + OwnerSession.OWNERS + " AND database = "
                            + "(SELECT oid FROM pg_database WHERE datname = 'postgres')",
                    rows -> {
                        String owner = hex(rows.getLong(2));
                        pids.put(rows.getInt(1), owner);
                        live.add(owner);
                    });
            return pids;
        }

        private void databases() throws SQLException {
            query(
                    "SELECT datname, datconnlimit = -2, datistemplate, datallowconn FROM pg_database"
                            + " WHERE starts_with(datname, 'ipg_')",
                    rows -> {
                        String name = rows.getString(1);
                        String state = rows.getBoolean(2)
                                ? " (invalid)"
                                : rows.getBoolean(3) && !rows.getBoolean(4) ? " (sealed)" : "";
                        add(items, ownerOf(name), "database " + name + state);
                    });
        }

        private void roles() throws SQLException {
            query("SELECT rolname FROM pg_roles WHERE starts_with(rolname, 'ipg_')", rows -> {
                String name = rows.getString(1);
                Matcher owner = OWNER_TOKEN.matcher(name);
                add(items, owner.find() ? owner.group(1) : null, "role " + name);
            });
        }

        private void sessions(Map<Integer, String> ownerPids) throws SQLException {
            query(
                    "SELECT pid, application_name, datname FROM pg_stat_activity"
                            + " WHERE starts_with(application_name, 'isolatedpg') AND pid <> pg_backend_pid()",
                    rows -> {
                        int pid = rows.getInt(1);
                        String application = rows.getString(2);
                        String database = rows.getString(3);
                        String owner = ownerPids.get(pid);
                        if (owner == null && application.matches("isolatedpg-admin-[0-9a-f]{8}")) {
                            owner = application.substring("isolatedpg-admin-".length());
                        }
                        if (owner == null && database != null) {
                            owner = ownerOf(database);
                        }
                        add(items, owner, "session pid " + pid + " '" + application + "' on " + database);
                    });
        }

        private void locks(Map<Integer, String> ownerPids) throws SQLException {
            query(
                    "SELECT pid, classid::bigint, objid::bigint, mode, granted FROM pg_locks"
                            + " WHERE locktype = 'advisory' AND objsubid = 2 AND classid::bigint BETWEEN "
                            + OwnerSession.OWNERS + " AND " + LAST_NAMESPACE + " AND database ="
                            + " (SELECT oid FROM pg_database WHERE datname = 'postgres')",
                    rows -> {
                        long namespace = rows.getLong(2);
                        String key = hex(rows.getLong(3));
                        String owner = namespace == OwnerSession.OWNERS ? key : ownerPids.get(rows.getInt(1));
                        add(
                                items,
                                owner,
                                "advisory lock " + NAMESPACES.get(namespace) + "/" + key + " " + rows.getString(4)
                                        + (rows.getBoolean(5) ? "" : " (waiting)")
                                        + (owner == null ? " pid " + rows.getInt(1) : ""));
                    });
        }

        private void preparedTransactions() throws SQLException {
            query(
                    "SELECT gid, database FROM pg_prepared_xacts WHERE starts_with(database, 'ipg_')",
                    rows -> add(
                            items,
                            ownerOf(rows.getString(2)),
                            "prepared transaction " + rows.getString(1) + " in " + rows.getString(2)));
        }

        private void query(String sql, RowConsumer consumer) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql);
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(rows);
                }
            }
        }

        private static String hex(long id) {
            return String.format(Locale.ROOT, "%08x", id);
        }
    }

    @FunctionalInterface
    private interface RowConsumer {
        void accept(ResultSet rows) throws SQLException;
    }

    /** Cluster and data directories, lock files and postmasters under the test's data directory. */
    private static void readFiles(TargetServer target, Map<String, SortedSet<String>> items) throws IOException {
        Path root = target.dataDirectory();
        for (Path cluster : target.clusterDirectories()) {
            add(items, SHARED, "directory " + root.relativize(cluster));
            for (String file :
                    List.of("data", "cluster.lock", "attached.lock", "server.properties", "data/postmaster.pid")) {
                if (Files.exists(cluster.resolve(file))) {
                    add(
                            items,
                            SHARED,
                            (file.equals("data") ? "directory " : "file ") + root.relativize(cluster.resolve(file)));
                }
            }
        }
        String marker = root.toAbsolutePath().toString();
        ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(marker))
                .filter(process -> process.info().command().orElse("").endsWith("/postgres"))
                .forEach(process -> add(items, SHARED, "postmaster pid " + process.pid()));
    }

    /** The changes between two snapshots, by owner. */
    static final class Diff {

        private final Inventory before;
        private final Inventory after;
        private final Map<String, SortedSet<String>> appeared = new TreeMap<>();
        private final Map<String, SortedSet<String>> vanished = new TreeMap<>();

        private Diff(Inventory before, Inventory after) {
            this.before = before;
            this.after = after;
            Set<String> owners = new LinkedHashSet<>(before.items.keySet());
            owners.addAll(after.items.keySet());
            for (String owner : owners) {
                SortedSet<String> added = new TreeSet<>(after.of(owner));
                added.removeAll(before.of(owner));
                SortedSet<String> removed = new TreeSet<>(before.of(owner));
                removed.removeAll(after.of(owner));
                if (!added.isEmpty()) {
                    appeared.put(owner, added);
                }
                if (!removed.isEmpty()) {
                    vanished.put(owner, removed);
                }
            }
        }

        SortedSet<String> appeared(String owner) {
            return appeared.getOrDefault(owner, new TreeSet<>());
        }

        SortedSet<String> vanished(String owner) {
            return vanished.getOrDefault(owner, new TreeSet<>());
        }

        /**
         * Asserts that {@code owner} has exactly what it had at the baseline (nothing, for an attachment that did not
         * exist then), and that each of the {@code bystanders} — live owners the test did not mean to touch — still
         * has every database and lock it had.
         */
        Diff assertBackToBaseline(String owner, Collection<String> bystanders) {
            StringBuilder problems = new StringBuilder();
            if (!appeared(owner).isEmpty() || !vanished(owner).isEmpty()) {
                problems.append("  owner ").append(owner).append(" is not back to its baseline:\n");
                describe(owner, problems);
            }
            for (String bystander : bystanders) {
                List<String> touched = vanished(bystander).stream()
                        .filter(item -> item.startsWith("database ") || item.startsWith("advisory lock "))
                        .toList();
                if (!touched.isEmpty()) {
                    problems.append("  owner ")
                            .append(bystander)
                            .append(after.liveOwners.contains(bystander) ? " (still alive)" : " (now dead)")
                            .append(" lost what it had:\n");
                    touched.forEach(
                            item -> problems.append("    - ").append(item).append('\n'));
                }
            }
            fail(problems);
            return this;
        }

        /** Asserts that nothing at all changed, on any owner, but what {@code expected} accepts. */
        Diff assertUnchangedExcept(String why, Predicate<String> expected) {
            StringBuilder problems = new StringBuilder();
            for (var changes : List.of(appeared, vanished)) {
                changes.forEach((owner, changed) -> changed.stream()
                        .filter(expected.negate())
                        .forEach(item -> problems.append("  ")
                                .append(label(owner, after.liveOwners))
                                .append(changes == appeared ? ": + " : ": - ")
                                .append(item)
                                .append('\n')));
            }
            if (!problems.isEmpty()) {
                problems.insert(0, "  changes other than " + why + ":\n");
            }
            fail(problems);
            return this;
        }

        private void fail(StringBuilder problems) {
            if (!problems.isEmpty()) {
                throw new AssertionError("The " + after.server + " server's inventory is not back to its baseline.\n"
                        + problems + "Every change since the baseline:\n" + this);
            }
        }

        private void describe(String owner, StringBuilder text) {
            appeared(owner).forEach(item -> text.append("    + ").append(item).append('\n'));
            vanished(owner).forEach(item -> text.append("    - ").append(item).append('\n'));
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            Set<String> owners = new TreeSet<>(appeared.keySet());
            owners.addAll(vanished.keySet());
            for (String owner : owners) {
                text.append("  ").append(label(owner, after.liveOwners)).append(":\n");
                describe(owner, text);
            }
            return text.isEmpty() ? "  (none)\n" : text.toString();
        }
    }
}
