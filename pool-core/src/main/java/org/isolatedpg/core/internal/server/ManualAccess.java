package org.isolatedpg.core.internal.server;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a person needs to connect to a server's databases by hand, as its admin role, for messages such as the one
 * naming a database kept after its test failed. Never the password: where it is instead.
 *
 * @param passwordFile the file that holds the admin's password, which the {@code psql} command reads into
 *     {@code PGPASSWORD}; null where the password is the user's own (configured, or none)
 * @param password where the password is, in words: {@code "password in /…/password"}, {@code "no password
 *     configured"}
 * @param afterRun what becomes of the server when the run ends, and how to reach a database on it then; empty when it
 *     stays reachable as it is
 */
public record ManualAccess(Path passwordFile, String password, String afterRun) {

    /** What libpq takes unquoted in a connection string, and a POSIX shell in a word. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.:/@%+=-]+");

    /**
     * A {@code psql} command that connects to {@code database} as the admin, for a POSIX shell:
     * {@code PGPASSWORD="$(cat '/…/password')" psql 'host=127.0.0.1 port=54012 user=postgres dbname=ipg_…'}.
     */
    public String psql(Server server, String database) {
        String conninfo = "host=" + conninfoValue(server.host()) + " port=" + server.port() + " user="
                + conninfoValue(server.user()) + " dbname=" + conninfoValue(database);
        String command = "psql " + shellWord(conninfo);
        return passwordFile == null
                ? command
                : "PGPASSWORD=\"$(cat " + shellWord(passwordFile.toString()) + ")\" " + command;
    }

    /** A command line as one line for a POSIX shell, each word quoted where it needs to be. */
    public static String shellLine(List<String> words) {
        return words.stream().map(ManualAccess::shellWord).collect(Collectors.joining(" "));
    }

    /** A word for a POSIX shell: as it is when plain, otherwise in single quotes. */
    static String shellWord(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    /** A value in a libpq connection string: as it is when plain, otherwise in single quotes with {@code \} escapes. */
    private static String conninfoValue(String value) {
        return PLAIN.matcher(value).matches()
                ? value
                : "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
