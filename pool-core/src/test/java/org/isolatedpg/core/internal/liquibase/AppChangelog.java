package org.isolatedpg.core.internal.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test changelog set under {@code liquibase/app}: a YAML master that includes an XML changelog by its classpath
 * path, a JSON and a formatted-SQL one relative to itself, and a folder by {@code includeAll}; a {@code sqlFile}, a
 * {@code loadData} CSV, changesets for the {@code dev} and {@code prod} contexts and the {@code experimental} label,
 * and a view named by the {@code report_view} parameter.
 */
final class AppChangelog {

    static final String MASTER = "classpath:liquibase/app/db.changelog-master.yaml";
    static final Map<String, String> PARAMETERS = Map.of("report_view", "customer_discount");

    /** With the dev context and without the experimental label: 8 of the 10 changesets run. */
    static LiquibaseSource source() {
        return source(MASTER);
    }

    static LiquibaseSource source(String changelog) {
        return new LiquibaseSource(changelog, "dev", "!experimental", PARAMETERS, "test [AppChangelog]");
    }

    /** Asserts what the 8 changesets made. */
    static void assertBuilt(ScratchDatabase database) throws SQLException {
        assertThat(database.strings("SELECT code || '=' || discount FROM tier ORDER BY code"))
                .containsExactly("gold=20", "silver=10");
        assertThat(database.strings("SELECT name FROM customer")).containsExactly("Dev Demo");
        assertThat(database.string("SELECT discount_of(id) FROM customer")).isEqualTo("20");
        assertThat(database.string("SELECT name || ':' || discount FROM customer_discount"))
                .isEqualTo("Dev Demo:20");
        assertThat(database.strings("SELECT column_name FROM information_schema.columns"
                        + " WHERE table_name = 'customer' ORDER BY ordinal_position"))
                .containsExactly("id", "name", "tier");
        assertThat(database.strings("SELECT indexname FROM pg_indexes WHERE tablename = 'customer_order'"))
                .contains("customer_order_customer_idx");
        assertThat(database.strings("SELECT filename || '::' || id || '::' || author FROM databasechangelog"
                        + " ORDER BY orderexecuted"))
                .containsExactly(
                        "liquibase/app/changes/001-schema.xml::tier::alice",
                        "liquibase/app/changes/001-schema.xml::tier-data::alice",
                        "liquibase/app/changes/001-schema.xml::customer::alice",
                        "liquibase/app/changes/001-schema.xml::discount-function::alice",
                        "liquibase/app/changes/002-data.json::demo-customer::bob",
                        "liquibase/app/changes/003-reports.sql::report-view::carol",
                        "liquibase/app/later/010-orders.yaml::orders::dave",
                        "liquibase/app/later/020-order-index.xml::order-customer-index::dave");
        assertThat(database.string("SELECT count(*) FROM databasechangeloglock WHERE locked"))
                .isEqualTo("0");
    }

    /** A copy of the set under {@code root/liquibase/app}, to edit. */
    static void copyTo(Path root) {
        try {
            URL original = AppChangelog.class.getClassLoader().getResource("liquibase/app");
            Path from = Path.of(original.toURI());
            Path to = root.resolve("liquibase/app");
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A class loader that sees only the files under root (and the JDK), as a test class path holding the copy. */
    static URLClassLoader loaderOf(Path root) {
        try {
            return new URLClassLoader(new URL[] {root.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private AppChangelog() {}
}
