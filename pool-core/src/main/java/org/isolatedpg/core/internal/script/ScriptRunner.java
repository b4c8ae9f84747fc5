package org.isolatedpg.core.internal.script;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one script on one connection as {@code psql -f} would, stopping at the first error: each statement on its own
 * (autocommit), {@code COPY … FROM stdin} data streamed through pgjdbc's COPY API, pg_dump's {@code \restrict} and
 * <code>&#92;unrestrict</code> lines skipped and any other meta-command refused. Ownership and privilege statements
 * that name a role the server does not have are skipped unless told to keep them ({@link RoleReferences}).
 */
final class ScriptRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

    /** pg_dump 17.6+ fences its output with these two; psql refuses any other meta-command between them. */
    private static final Pattern RESTRICT = Pattern.compile("\\\\(un)?restrict(\\s.*)?");

    private static final String MISSING_ROLES =
            "SELECT r FROM pg_catalog.unnest(?::pg_catalog.text[]) AS r WHERE NOT EXISTS"
                    + " (SELECT FROM pg_catalog.pg_roles WHERE rolname = r)";

    private static final int COPY_CHUNK = 64 * 1024;

    private final boolean keepOwnersAndPrivileges;

    ScriptRunner(boolean keepOwnersAndPrivileges) {
        this.keepOwnersAndPrivileges = keepOwnersAndPrivileges;
    }

    /**
     * Runs the script's text on the connection.
     *
     * @param script the script's name in messages: {@code classpath:db/dump.sql}
     * @throws SourceFailedException at the first failure, naming the script and the line of the failing command
     */
    void run(String script, String text, Connection connection) {
        Skipped skipped = new Skipped();
        SqlScript commands = new SqlScript(text);
        try (Statement statement = connection.createStatement()) {
            // The text is sent as written: JDBC escapes ({fn …}, {d …}) are no SQL.
            statement.setEscapeProcessing(false);
            while (commands.hasNext()) {
                SqlScript.Command command = commands.next();
                try {
                    if (command instanceof SqlScript.Statement sql) {
                        if (!skipped(script, sql, connection, skipped)) {
                            statement.execute(sql.sql());
                        }
                    } else if (command instanceof SqlScript.CopyFromStdin copy) {
                        copy(copy, connection);
                    } else if (command instanceof SqlScript.MetaCommand meta) {
                        refuseUnlessRestrict(meta);
                    }
                } catch (SQLException | IllegalArgumentException e) {
                    throw new SourceFailedException("script " + script + " line " + command.line(), e);
                }
            }
        } catch (SQLException e) {
            throw new SourceFailedException("script " + script, e);
        }
        if (skipped.statements > 0) {
            LOG.info(
                    "Skipped {} ownership and privilege statements of {} that name roles this server does not have"
                            + " ({}), as pg_restore --no-owner --no-privileges would",
                    skipped.statements,
                    script,
                    String.join(", ", skipped.roles));
        }
    }

    /** Whether the statement is skipped: it gives ownership or privileges to a role this server does not have. */
    private boolean skipped(String script, SqlScript.Statement sql, Connection connection, Skipped skipped)
            throws SQLException {
        if (keepOwnersAndPrivileges) {
            return false;
        }
        Set<String> roles = RoleReferences.in(sql.sql());
        if (roles.isEmpty()) {
            return false;
        }
        List<String> missing = missingRoles(roles, connection);
        if (missing.isEmpty()) {
            return false;
        }
        LOG.debug("Skipped line {} of {}: role {} does not exist here: {}", sql.line(), script, missing, sql.sql());
        skipped.statements++;
        skipped.roles.addAll(missing);
        return true;
    }

    /** What a script's run skipped, for its one line of log. */
    private static final class Skipped {
        private int statements;
        private final Set<String> roles = new LinkedHashSet<>();
    }

    private static List<String> missingRoles(Set<String> roles, Connection connection) throws SQLException {
        List<String> missing = new ArrayList<>();
        Array names = connection.createArrayOf("text", roles.toArray());
        try (PreparedStatement query = connection.prepareStatement(MISSING_ROLES)) {
            query.setArray(1, names);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    missing.add(rows.getString(1));
                }
            }
        } finally {
            names.free();
        }
        return missing;
    }

    /** Streams the data to the server as UTF-8 in chunks, so a big table's data is never copied whole. */
    private static void copy(SqlScript.CopyFromStdin copy, Connection connection) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.sql());
        try {
            CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
            CharBuffer data = copy.data();
            ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
            while (encoder.encode(data, chunk, true).isOverflow()) {
                in.writeToCopy(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            encoder.flush(chunk);
            in.writeToCopy(chunk.array(), 0, chunk.position());
            in.endCopy();
        } catch (SQLException e) {
            if (in.isActive()) {
                try {
                    in.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    private static void refuseUnlessRestrict(SqlScript.MetaCommand meta) {
        if (!RESTRICT.matcher(meta.text()).matches()) {
            String command = meta.text().split("\\s", 2)[0];
            throw new IllegalArgumentException("The psql meta-command " + command
                    + " cannot run here: scripts are sent over JDBC, not through psql. Remove the line"
                    + " (pg_dump writes \\connect only for pg_dump --create or pg_dumpall; dump one database"
                    + " without them).");
        }
    }
}
