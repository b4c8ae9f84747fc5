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
                  help     Shows this.

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
        return switch (command) {
            case "serve" -> serve(out, err);
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
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable stop = () -> {
            if (!stopping.compareAndSet(false, true)) {
                return;
            }
            server.close();
            out.println("isolated-postgres server stopped");
            out.flush();
            stopped.countDown();
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
