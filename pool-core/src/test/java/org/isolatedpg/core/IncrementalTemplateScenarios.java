package org.isolatedpg.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental templates: a template whose migrations only add to an older template's is built on it, and holds
 * exactly what a full build holds, catalog and data. Every test's migrations carry a placeholder of their own, so no
 * other template (of another test or an earlier run) can be built on. Run on the embedded server
 * ({@link IncrementalTemplateTests}) and on the machine's PostgreSQL ({@link IncrementalTemplatesOnExternalServerTests}).
 */
abstract class IncrementalTemplateScenarios {

    /** A small library: schemas, enum and domain types, identity and serial keys, an index, a trigger and data. */
    private static final Map<String, String> FIRST_THREE =
            migrations("V1__core.sql", """
            CREATE SCHEMA library;
            CREATE TYPE library.genre AS ENUM ('fiction', 'science', 'history');
            CREATE DOMAIN library.isbn AS text CHECK (VALUE ~ '^[0-9-]{10,17}$');
            CREATE TABLE library.author (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text NOT NULL UNIQUE
            );
            CREATE TABLE library.book (
                id serial PRIMARY KEY,
                isbn library.isbn NOT NULL,
                title text NOT NULL,
                genre library.genre,
                author_id bigint REFERENCES library.author (id) ON DELETE CASCADE
            );
            CREATE INDEX book_title ON library.book (lower(title));
            INSERT INTO library.author (name) SELECT 'author ' || i FROM generate_series(1, 50) i;
            INSERT INTO library.book (isbn, title, genre, author_id)
            SELECT '978-' || lpad(i::text, 10, '0'), 'title ' || i,
                   (ARRAY['fiction', 'science', 'history'])[1 + i % 3]::library.genre, 1 + i % 50
            FROM generate_series(1, 500) i;
            """, "V2__views_and_functions.sql", """
            CREATE VIEW library.books_by_genre AS SELECT genre, count(*) AS books FROM library.book GROUP BY genre;
            CREATE FUNCTION library.title_of(book_id int) RETURNS text LANGUAGE sql STABLE
                AS $$ SELECT title FROM library.book WHERE id = book_id $$;
            CREATE TABLE library.audit (id bigserial PRIMARY KEY, book_id int NOT NULL, action text NOT NULL);
            CREATE FUNCTION library.audit_book() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO library.audit (book_id, action) VALUES (NEW.id, TG_OP);
                RETURN NEW;
            END $$;
            CREATE TRIGGER book_audit AFTER INSERT OR UPDATE ON library.book
                FOR EACH ROW EXECUTE FUNCTION library.audit_book();
            UPDATE library.book SET title = title || ' (2nd ed.)' WHERE id % 10 = 0;
            """, "V3__sequences_and_grants.sql", """
            CREATE SEQUENCE library.ticket START 1000;
            SELECT nextval('library.ticket') FROM generate_series(1, 7);
            GRANT USAGE ON SCHEMA library TO PUBLIC;
            GRANT SELECT ON library.books_by_genre TO PUBLIC;
            COMMENT ON TABLE library.book IS 'Books on the shelves';
            """);

    private static final Map<String, String> FOURTH = migrations("V4__loans.sql", """
            ALTER TABLE library.book ADD COLUMN pages int NOT NULL DEFAULT 100;
            CREATE TABLE library.loan (
                book_id int REFERENCES library.book (id),
                member text NOT NULL,
                due date NOT NULL,
                PRIMARY KEY (book_id, member)
            );
            INSERT INTO library.loan SELECT id, 'member ' || (id % 7), DATE '2026-01-01' + id
            FROM library.book WHERE id % 4 = 0;
            CREATE OR REPLACE VIEW library.books_by_genre AS
                SELECT genre, count(*) AS books, sum(pages) AS pages FROM library.book GROUP BY genre;
            SELECT nextval('library.ticket');
            """);

    @TempDir
    Path directory;

    private String run;

    /** The server the scenarios run on. */
    abstract PostgresServer server();

    @BeforeEach
    void ownTemplates() {
        run = UUID.randomUUID().toString();
    }

    @Test
    void buildsOnTheOlderTemplateOnlyTheNewMigrationAndEqualsAFullBuild() throws Exception {
        PostgresServer server = server();
        TemplateSpec older = spec(location("older", FIRST_THREE));
        TemplateSpec newer = spec(location("newer", FIRST_THREE, FOURTH));
        PoolStatistics built;
        List<String> incremental;
        String newerTemplate;
        String olderId;
        try (TestDatabasePool first = TestDatabasePool.open(server, older, settings(true));
                TestDatabasePool second = TestDatabasePool.open(server, newer, settings(true))) {
            assertThat(first.statistics().templateBuiltFrom()).isEmpty();
            assertThat(first.statistics().migrationsExecuted()).isEqualTo(3);
            olderId = first.fingerprint().substring(0, 12);
            built = second.statistics();
            newerTemplate = second.templateName();
            incremental = snapshot(second);
        }
        assertThat(built.templateBuiltFrom()).isEqualTo(olderId);
        assertThat(built.migrationsExecuted()).isEqualTo(1);
        assertThat(built.summary())
                .contains("built incrementally from " + built.templateBuiltFrom() + " (+1 migrations,");

        Admin.of(server).dropTemplate(newerTemplate);
        try (TestDatabasePool full = TestDatabasePool.open(server, newer, settings(false))) {
            assertThat(full.statistics().templateBuiltFrom()).isEmpty();
            assertThat(full.statistics().migrationsExecuted()).isEqualTo(4);
            assertThat(snapshot(full)).isEqualTo(incremental);
        }
        assertThat(incremental)
                .anyMatch(line -> line.startsWith("column | library | book | 6 | pages"))
                .anyMatch(line -> line.startsWith("sequence | library | ticket") && line.endsWith("| 1007"))
                .anyMatch(line -> line.startsWith("data | library.loan | 125 |"));
    }

    @Test
    void buildsFromNothingWhenAMigrationIsInsertedBeforeTheLastOne() throws Exception {
        PostgresServer server = server();
        Map<String, String> inserted = new LinkedHashMap<>(FIRST_THREE);
        inserted.put("V2_5__shelves.sql", "CREATE TABLE library.shelf (id int PRIMARY KEY);\n");
        try (TestDatabasePool first =
                        TestDatabasePool.open(server, spec(location("older", FIRST_THREE)), settings(true));
                TestDatabasePool second =
                        TestDatabasePool.open(server, spec(location("inserted", inserted)), settings(true))) {
            assertThat(second.statistics().templateBuiltFrom()).isEmpty();
            assertThat(second.statistics().migrationsExecuted()).isEqualTo(4);
        }
    }

    @Test
    void buildsFromNothingWhenARepeatableMigrationWouldRunInAnotherOrder() throws Exception {
        PostgresServer server = server();
        Map<String, String> repeatable = new LinkedHashMap<>(FIRST_THREE);
        repeatable.put(
                "R__book_titles.sql", "CREATE OR REPLACE VIEW library.titles AS SELECT title FROM library.book;\n");
        Map<String, String> newer = new LinkedHashMap<>(repeatable);
        newer.putAll(FOURTH);
        try (TestDatabasePool first =
                        TestDatabasePool.open(server, spec(location("older", repeatable)), settings(true));
                TestDatabasePool second =
                        TestDatabasePool.open(server, spec(location("newer", newer)), settings(true))) {
            assertThat(second.statistics().templateBuiltFrom()).isEmpty();
            assertThat(second.statistics().migrationsExecuted()).isEqualTo(5);
        }
    }

    @Test
    void buildsOnTheOlderTemplateOnlyTheNewChangesetAndEqualsAFullBuild() throws Exception {
        PostgresServer server = server();
        TemplateSpec older = liquibase(changelog("older", 3));
        TemplateSpec newer = liquibase(changelog("newer", 4));
        List<String> incremental;
        try (TestDatabasePool first = TestDatabasePool.open(server, older, settings(true));
                TestDatabasePool second = TestDatabasePool.open(server, newer, settings(true))) {
            assertThat(second.statistics().templateBuiltFrom())
                    .isEqualTo(first.fingerprint().substring(0, 12));
            assertThat(second.statistics().migrationsExecuted()).isEqualTo(1);
            incremental = snapshot(second);
            Admin.of(server).dropTemplate(second.templateName());
        }
        try (TestDatabasePool full = TestDatabasePool.open(server, newer, settings(false))) {
            assertThat(full.statistics().templateBuiltFrom()).isEmpty();
            assertThat(full.statistics().migrationsExecuted()).isEqualTo(4);
            assertThat(snapshot(full)).isEqualTo(incremental);
        }
        assertThat(incremental).anyMatch(line -> line.startsWith("data | public.databasechangelog | 4 |"));
    }

    @Test
    void buildsATemplateWithScriptsOnOneOfMigrationsAloneAndRunsTheScriptsAfterTheNewMigrations() throws Exception {
        PostgresServer server = server();
        Path seed = Files.writeString(
                directory.resolve("seed.sql"),
                "INSERT INTO library.loan SELECT id, 'seed', DATE '2027-01-01'"
                        + " FROM library.book WHERE id % 4 = 1;\n");
        TemplateSpec newer = TemplateSpec.builder()
                .flyway(location("newer", FIRST_THREE, FOURTH))
                .flywayPlaceholders(Map.of("run", run))
                .scripts("filesystem:" + seed)
                .build();
        List<String> incremental;
        try (TestDatabasePool first =
                        TestDatabasePool.open(server, spec(location("older", FIRST_THREE)), settings(true));
                TestDatabasePool second = TestDatabasePool.open(server, newer, settings(true))) {
            assertThat(second.statistics().templateBuiltFrom())
                    .isEqualTo(first.fingerprint().substring(0, 12));
            assertThat(second.statistics().migrationsExecuted()).isEqualTo(2); // V4 and the script
            incremental = snapshot(second);
            Admin.of(server).dropTemplate(second.templateName());
        }
        try (TestDatabasePool full = TestDatabasePool.open(server, newer, settings(false))) {
            assertThat(full.statistics().migrationsExecuted()).isEqualTo(5);
            assertThat(snapshot(full)).isEqualTo(incremental);
        }
        assertThat(incremental).anyMatch(line -> line.startsWith("data | library.loan | 250 |"));
    }

    /** A changelog of the first {@code count} of four changesets, each in a file of its own, as projects grow them. */
    private String changelog(String name, int count) throws IOException {
        Path folder = Files.createDirectories(directory.resolve(name).resolve("changes"));
        List<String> changes = List.of(
                "CREATE TABLE shelf (id int PRIMARY KEY, label text NOT NULL);",
                "INSERT INTO shelf SELECT i, 'shelf ' || i FROM generate_series(1, 40) i;",
                "CREATE VIEW shelf_labels AS SELECT label FROM shelf WHERE id % 2 = 0;",
                "ALTER TABLE shelf ADD COLUMN room text NOT NULL DEFAULT 'main';");
        StringBuilder master = new StringBuilder("databaseChangeLog:\n");
        for (int i = 1; i <= count; i++) {
            String file = String.format("%03d.sql", i);
            Files.writeString(
                    folder.resolve(file),
                    "--liquibase formatted sql\n\n--changeset library:" + i + "\n" + changes.get(i - 1) + "\n",
                    UTF_8);
            master.append("  - include:\n      file: changes/")
                    .append(file)
                    .append("\n      relativeToChangelogFile: true\n");
        }
        Path changelog = directory.resolve(name).resolve("master.yaml");
        Files.writeString(changelog, master, UTF_8);
        return "filesystem:" + changelog;
    }

    private TemplateSpec liquibase(String changelog) {
        return TemplateSpec.builder()
                .liquibase(changelog)
                .liquibaseParameters(Map.of("run", run))
                .build();
    }

    private TemplateSpec spec(String location) {
        return TemplateSpec.builder()
                .flyway(location)
                .flywayPlaceholders(Map.of("run", run))
                .build();
    }

    @SafeVarargs
    private String location(String name, Map<String, String>... parts) throws IOException {
        Path location = Files.createDirectories(directory.resolve(name));
        for (Map<String, String> part : parts) {
            for (Map.Entry<String, String> file : part.entrySet()) {
                Files.writeString(location.resolve(file.getKey()), file.getValue(), UTF_8);
            }
        }
        return "filesystem:" + location;
    }

    private static List<String> snapshot(TestDatabasePool pool) throws SQLException {
        try (TestDatabase database = pool.lease();
                Connection connection = database.dataSource().getConnection()) {
            return CatalogSnapshot.of(connection);
        }
    }

    private static PoolSettings settings(boolean incremental) {
        return Configuration.from(List.of(ConfigSource.of(
                        "test",
                        Map.of(
                                ConfigKeys.POOL_SIZE,
                                "1",
                                ConfigKeys.TEMPLATE_INCREMENTAL,
                                Boolean.toString(incremental)))))
                .poolSettings();
    }

    private static Map<String, String> migrations(String... namesAndContents) {
        Map<String, String> migrations = new LinkedHashMap<>();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            migrations.put(namesAndContents[i], namesAndContents[i + 1]);
        }
        return migrations;
    }
}
