package org.isolatedpg.core;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a database holds, as sorted lines of text, to compare two databases that must be equal: the catalog (schemas,
 * tables, columns, types, constraints, indexes, views, functions, triggers, sequences with their values, extensions,
 * owners and grants) and the data (row count and checksum of each table). Nothing that differs between two equal
 * builds enters: OIDs, and the times in the migration tools' history tables.
 */
final class CatalogSnapshot {

    private static final String USER_SCHEMA = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            + " AND %1$s NOT LIKE 'pg_temp%%' AND %1$s NOT LIKE 'pg_toast_temp%%'";

    private static final List<String> CATALOG = List.of(
            "SELECT 'schema', nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace" + " WHERE nspname "
                    + userSchema("nspname"),
            "SELECT 'relation', n.nspname, c.relname, c.relkind, c.relpersistence, pg_get_userbyid(c.relowner),"
                    + " c.relacl::text, obj_description(c.oid, 'pg_class') FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname " + userSchema("n.nspname"),
            "SELECT 'column', table_schema, table_name, ordinal_position, column_name, data_type, udt_schema,"
                    + " udt_name, column_default, is_nullable, is_identity, identity_generation, is_generated,"
                    + " generation_expression, character_maximum_length, numeric_precision, numeric_scale"
                    + " FROM information_schema.columns WHERE table_schema " + userSchema("table_schema"),
            "SELECT 'type', n.nspname, t.typname, t.typtype, pg_get_userbyid(t.typowner), format_type(t.typbasetype,"
                    + " t.typtypmod), (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"
                    + " WHERE enumtypid = t.oid) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                    + " WHERE n.nspname " + userSchema("n.nspname"),
            "SELECT 'constraint', n.nspname, conrelid::regclass::text, contypid::regtype::text, conname, contype,"
                    + " pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n"
                    + " ON n.oid = c.connamespace WHERE n.nspname " + userSchema("n.nspname"),
            "SELECT 'index', schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname "
                    + userSchema("schemaname"),
            "SELECT 'view', schemaname, viewname, viewowner, definition FROM pg_views WHERE schemaname "
                    + userSchema("schemaname"),
            "SELECT 'materialized view', schemaname, matviewname, matviewowner, definition FROM pg_matviews",
            "SELECT 'function', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid), p.prokind,"
                    + " pg_get_userbyid(p.proowner), p.proacl::text, CASE WHEN p.prokind IN ('f', 'p')"
                    + " THEN pg_get_functiondef(p.oid) END FROM pg_proc p JOIN pg_namespace n"
                    + " ON n.oid = p.pronamespace WHERE n.nspname " + userSchema("n.nspname"),
            "SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid), tgenabled FROM pg_trigger"
                    + " WHERE NOT tgisinternal",
            "SELECT 'sequence', schemaname, sequencename, sequenceowner, data_type, start_value, increment_by,"
                    + " max_value, cycle, last_value FROM pg_sequences",
            "SELECT 'default privileges', pg_get_userbyid(defaclrole), defaclnamespace::regnamespace::text,"
                    + " defaclobjtype, defaclacl::text FROM pg_default_acl",
            "SELECT 'extension', extname, extversion, extnamespace::regnamespace::text FROM pg_extension");

    /** The columns of the migration tools' history tables that do not vary between two equal builds. */
    private static final Map<String, String> HISTORY_COLUMNS = Map.of(
            "flyway_schema_history",
            "installed_rank, version, description, type, script, checksum, installed_by, success",
            "databasechangelog",
            "id, author, filename, md5sum, description, comments, tag, contexts, labels, exectype",
            "databasechangeloglock",
            "id, locked");

    private CatalogSnapshot() {}

    /** The snapshot of the database the connection is on. */
    static List<String> of(Connection connection) throws SQLException {
        List<String> lines = new ArrayList<>();
        for (String query : CATALOG) {
            lines.addAll(rows(connection, query));
        }
        for (String table : rows(
                connection,
                "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm')"
                        + " AND n.nspname " + userSchema("n.nspname"))) {
            String name = table.substring(table.indexOf('.') + 1).replace("\"", "");
            String columns = HISTORY_COLUMNS.getOrDefault(name, "t.*");
            lines.addAll(rows(
                    connection,
                    "SELECT 'data', '" + table.replace("'", "''") + "', count(*), md5(coalesce(string_agg(r::text,"
                            + " E'\\n' ORDER BY r::text), '')) FROM (SELECT " + columns + " FROM " + table
                            + " t) r"));
        }
        return lines.stream().sorted().toList();
    }

    private static String userSchema(String column) {
        return String.format(USER_SCHEMA, column);
    }

    private static List<String> rows(Connection connection, String query) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            ResultSetMetaData meta = rows.getMetaData();
            while (rows.next()) {
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    line.append(i == 1 ? "" : " | ").append(rows.getString(i));
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
