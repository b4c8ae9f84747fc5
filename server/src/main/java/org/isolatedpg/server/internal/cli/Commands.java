package org.isolatedpg.server.internal.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.server.internal.config.ServeSettings;

/** The commands, their usage, and their exit codes: 0 done, 1 failed, 2 wrong usage. */
public final class Commands {

    private Commands() {}

    public static String usage() {
        return """
                Usage: java -jar isolated-postgres-server-<version>-all.jar <command> [--help]

                Commands:
                  serve    Runs IntegreSQL's HTTP API (v1) on the isolated-postgres engine until SIGINT or SIGTERM,
                           then drops every test database and stops the embedded PostgreSQL unless others use it.
                  list     Lists the templates and test databases on the server: kind, size, owner (alive or
                           dead), last use and, for templates built through the API, the client's hash.
                  prune [--older-than 7d] [--yes]
                           Lists what may go: databases of JVMs that are gone, and templates unused for longer
                           than the age given (default: isolatedpg.template.retention, 7d). Drops them with --yes.
                  stop [--force]
                           Stops the embedded server; refuses while JVMs are attached to it unless --force.
                  doctor [--parallelism N]
                           Checks what makes embedded PostgreSQL fail on this machine (binaries, root and user
                           namespaces, free space, locale, ports, connections for N tests at once, default the
                           CPUs) and prints each problem with its fix. Exits 1 when it found one.
                  help     Shows this.

                Exit codes: 0 done, 1 failed (or problems found), 2 wrong usage.

                Settings come from system properties (-Dkey=value) and the environment:
                  INTEGRESQL_PORT (5000), INTEGRESQL_ADDRESS (127.0.0.1),
                  INTEGRESQL_PGHOST/PGHOST, PGPORT, PGUSER, PGPASSWORD: an external server instead of the embedded
                    one (INTEGRESQL_PG* first),
                  INTEGRESQL_TEST_INITIAL_POOL_SIZE (4), INTEGRESQL_TEST_MAX_POOL_SIZE (4 x CPUs),
                  INTEGRESQL_TEST_DB_GET_TIMEOUT_MS (60000), INTEGRESQL_TEMPLATE_FINALIZE_TIMEOUT_MS (60000),
                  INTEGRESQL_TEST_DB_MINIMAL_LIFETIME_MS (250),
                  ISOLATEDPG_HTTP_TOKEN: required beyond loopback; clients send 'Authorization: Bearer <token>',
                  and the library's isolatedpg.* keys (as ISOLATEDPG_* variables) for everything else.
                """;
    }

    /** Runs {@code command}; returns its exit code. */
    public static int run(String command, String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(usage());
            return 0;
        }
        try {
            return switch (command) {
                case "serve" -> serve(out, err);
                case "list" -> admin(out).list();
                case "prune" -> prune(args, out);
                case "stop" -> admin(out).stop(flag(args, "--force"));
                case "doctor" -> admin(out).doctor(settings(), parallelism(args));
                case "help", "--help", "-h" -> {
                    out.print(usage());
                    yield 0;
                }
                default -> {
                    err.println("Unknown command '" + command + "'.");
                    err.print(usage());
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("isolated-postgres server: " + command + " failed: " + e.getMessage());
            return 1;
        }
    }

    private static Admin admin(PrintStream out) {
        return new Admin(ServeSettings.configuration(System.getProperties(), System.getenv()), out);
    }

    private static ServeSettings settings() {
        return ServeSettings.from(System.getProperties(), System.getenv());
    }

    private static int prune(String[] args, PrintStream out) {
        Admin admin = admin(out);
        String age = option(args, "--older-than");
        return admin.prune(age == null ? admin.retention() : Admin.age(age), flag(args, "--yes"));
    }

    private static int parallelism(String[] args) {
        String value = option(args, "--parallelism");
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int parallelism = Integer.parseInt(value);
            if (parallelism > 0) {
                return parallelism;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("--parallelism '" + value + "' is not a positive whole number");
    }

    private static boolean flag(String[] args, String name) {
        for (String arg : args) {
            if (arg.equals(name)) {
                return true;
            }
            if (arg.startsWith("-")
                    && !arg.equals("--yes")
                    && !arg.equals("--force")
                    && !arg.equals("--older-than")
                    && !arg.equals("--parallelism")) {
                throw new IllegalArgumentException("Unknown option '" + arg + "'; see --help.");
            }
        }
        return false;
    }

    /** The value after {@code name}, or null when it is not given. */
    private static String option(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(name + " needs a value; see --help.");
                }
                return args[i + 1];
            }
        }
        return null;
    }

    private static int serve(PrintStream out, PrintStream err) {
        RunningServer server;
        try {
            server = RunningServer.start(ServeSettings.from(System.getProperties(), System.getenv()));
        } catch (IsolatedPostgresException | java.io.UncheckedIOException e) {
            err.println("isolated-postgres server could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // Once, and whoever comes second (SIGTERM twice, the shutdown hook after the signal) waits for the first to
        // finish: returning at once would let the JVM exit while the first still drops the test databases.
        Runnable stop = () -> {
            synchronized (stopped) {
                if (stopped.getCount() == 0) {
                    return;
                }
                server.close();
                out.println("isolated-postgres server stopped");
                out.flush();
                stopped.countDown();
            }
        };
        Signals.onInterruptOrTerminate(() -> {
            stop.run();
            System.exit(0);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "isolatedpg-server-shutdown")); // any other exit
        out.println("isolated-postgres server listening on " + server.url() + " (IntegreSQL API v1), on "
                + server.description() + "; Ctrl-C stops it");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
