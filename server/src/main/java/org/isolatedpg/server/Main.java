package org.isolatedpg.server;

import java.io.PrintStream;
import java.util.Arrays;
import org.isolatedpg.server.internal.cli.Commands;

/**
 * The command line of {@code isolated-postgres-server-<version>-all.jar}: {@code serve} runs IntegreSQL's HTTP API on
 * the isolated-postgres engine until SIGINT or SIGTERM; {@code --help} lists every command.
 *
 * @since 0.1
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0 || !(args.length > 0 && args[0].equals("serve"))) {
            System.exit(status);
        }
    }

    /** Runs one command; returns its exit code (0 done, 1 failed, 2 wrong usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(Commands.usage());
            return 2;
        }
        return Commands.run(args[0], Arrays.copyOfRange(args, 1, args.length), out, err);
    }
}
