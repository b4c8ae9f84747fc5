package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.isolatedpg.core.internal.script.SqlScript.Command;
import org.isolatedpg.core.internal.script.SqlScript.CopyFromStdin;
import org.isolatedpg.core.internal.script.SqlScript.MetaCommand;
import org.isolatedpg.core.internal.script.SqlScript.Statement;
import org.junit.jupiter.api.Test;

class SqlScriptTests {

    @Test
    void splitsOnSemicolonsWithTheLineEachStatementStartsOn() {
        assertThat(commands("SELECT 1;\nSELECT 2; SELECT 3\n\n;\n\n  SELECT 4"))
                .containsExactly(
                        new Statement("SELECT 1", 1),
                        new Statement("SELECT 2", 2),
                        new Statement("SELECT 3", 2),
                        new Statement("SELECT 4", 6));
    }

    @Test
    void keepsSemicolonsInStringsAndQuotedIdentifiers() {
        assertThat(commands("INSERT INTO \"a;b\" VALUES ('x;y', 'it''s; fine');\nSELECT '\\';"))
                .containsExactly(
                        new Statement("INSERT INTO \"a;b\" VALUES ('x;y', 'it''s; fine')", 1),
                        new Statement("SELECT '\\'", 2));
    }

    @Test
    void readsBackslashEscapesOnlyInEscapeStrings() {
        assertThat(commands("SELECT E'a\\';b', e'\\\\';SELECT 2; SELECT xe'x;'"))
                .extracting(SqlScript.Command::line, c -> ((Statement) c).sql())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "SELECT E'a\\';b', e'\\\\'"),
                        org.assertj.core.groups.Tuple.tuple(1, "SELECT 2"),
                        org.assertj.core.groups.Tuple.tuple(1, "SELECT xe'x;'"));
    }

    @Test
    void keepsDollarQuotedBodiesWhole() {
        String function = "CREATE FUNCTION f() RETURNS text LANGUAGE plpgsql AS $body$\nBEGIN\n"
                + "  RETURN $$a;b$$ || $x$;$x$;\nEND\n$body$";
        assertThat(commands(function + ";\nSELECT $1, a$b, $q$;$q$;"))
                .containsExactly(new Statement(function, 1), new Statement("SELECT $1, a$b, $q$;$q$", 6));
    }

    @Test
    void skipsCommentsAndNestedBlockComments() {
        assertThat(commands("-- a; comment\n/* outer /* inner; */ still; comment */ SELECT 1 -- trailing;\n; SELECT 2"))
                .containsExactly(new Statement("SELECT 1 -- trailing;", 2), new Statement("SELECT 2", 3));
    }

    @Test
    void keepsStandardSqlFunctionBodiesWholeWithCaseInside() {
        String function = "CREATE OR REPLACE FUNCTION s.f(n int) RETURNS text LANGUAGE sql\n    BEGIN ATOMIC\n"
                + " SELECT CASE WHEN n > 1 THEN 'big;' ELSE 'small' END;\n SELECT 'x';\nEND";
        String procedure = "create procedure p() language sql begin atomic insert into t values (1); end";
        assertThat(commands(function + ";\n" + procedure + ";\nSELECT 'after'"))
                .containsExactly(
                        new Statement(function, 1), new Statement(procedure, 6), new Statement("SELECT 'after'", 7));
    }

    @Test
    void endsAReturnBodyWithCaseAtItsSemicolon() {
        String function = "CREATE FUNCTION g(x int) RETURNS text LANGUAGE sql\n"
                + "    RETURN CASE WHEN x > 0 THEN 'a' ELSE 'b' END";
        assertThat(commands(function + ";\nSELECT 2;"))
                .containsExactly(new Statement(function, 1), new Statement("SELECT 2", 3));
    }

    @Test
    void countsBeginOnlyInFunctionsAndProcedures() {
        assertThat(commands("BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE TABLE t (begin int);\nSELECT 2"))
                .hasSize(5);
    }

    @Test
    void readsCopyDataUpToItsTerminator() {
        String data = "1\tTab\\tin\\\\side\t\\N\n2\t'quote'; semicolon\t\\.not the end\n";
        List<Command> commands =
                commands("SET x = 1;\nCOPY s.t (id, name, note) FROM stdin;\n" + data + "\\.\nSELECT 3;\n");

        assertThat(commands).hasSize(3);
        CopyFromStdin copy = (CopyFromStdin) commands.get(1);
        assertThat(copy.sql()).isEqualTo("COPY s.t (id, name, note) FROM stdin");
        assertThat(copy.line()).isEqualTo(2);
        assertThat(copy.data().toString()).isEqualTo(data);
        assertThat(commands.get(2)).isEqualTo(new Statement("SELECT 3", 6));
    }

    @Test
    void readsEmptyCopyDataAndDataRunningToTheEnd() {
        List<Command> commands = commands("copy t from STDIN with (format csv);\n\\.\ncopy t from stdin;\n1\n2");

        assertThat(commands).hasSize(2);
        assertThat(((CopyFromStdin) commands.get(0)).data().toString()).isEmpty();
        assertThat(((CopyFromStdin) commands.get(1)).data().toString()).isEqualTo("1\n2");
        assertThat(commands.get(1).line()).isEqualTo(3);
    }

    @Test
    void takesCopyFromAFileOrToStdoutAsAStatement() {
        assertThat(commands("COPY t FROM '/tmp/stdin';\nCOPY t TO stdout;\n"))
                .allMatch(command -> command instanceof Statement);
    }

    @Test
    void readsMetaCommandsAtTheStartOfAStatement() {
        assertThat(commands("\\restrict abc123\n\nSELECT 1;\n\\connect other\n\\unrestrict abc123\r\n"))
                .containsExactly(
                        new MetaCommand("\\restrict abc123", 1),
                        new Statement("SELECT 1", 3),
                        new MetaCommand("\\connect other", 4),
                        new MetaCommand("\\unrestrict abc123", 5));
    }

    @Test
    void leavesABackslashInsideAStatementToTheServer() {
        assertThat(commands("SELECT 1 \\gset\n;")).containsExactly(new Statement("SELECT 1 \\gset", 1));
    }

    @Test
    void countsLinesThroughMultiLineStringsAndComments() {
        assertThat(commands("SELECT 'a\nb';\n/* x\ny\n*/\nSELECT $$\n$$;\nSELECT \"q\n\";\nSELECT 9"))
                .extracting(Command::line)
                .containsExactly(1, 6, 8, 10);
    }

    @Test
    void sendsAnUnterminatedStringAsItIsForTheServerToRefuse() {
        assertThat(commands("SELECT 1;\nSELECT 'open; ended"))
                .containsExactly(new Statement("SELECT 1", 1), new Statement("SELECT 'open; ended", 2));
    }

    @Test
    void findsNothingInBlankText() {
        assertThat(commands("  \n-- only a comment\n;;\n/* and this */\n")).isEmpty();
    }

    private static List<Command> commands(String text) {
        List<Command> commands = new ArrayList<>();
        new SqlScript(text).forEachRemaining(commands::add);
        return commands;
    }
}
