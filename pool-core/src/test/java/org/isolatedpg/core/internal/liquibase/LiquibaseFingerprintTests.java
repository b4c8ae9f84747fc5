package org.isolatedpg.core.internal.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What decides a {@link LiquibaseSource}'s fingerprint, on a copy of the test changelog set that the tests edit. */
class LiquibaseFingerprintTests {

    @TempDir
    Path root;

    private Path app;
    private URLClassLoader loader;

    @BeforeEach
    void copyChangelogs() {
        AppChangelog.copyTo(root);
        app = root.resolve("liquibase/app");
        loader = AppChangelog.loaderOf(root);
    }

    @AfterEach
    void closeLoader() throws IOException {
        loader.close();
    }

    @Test
    void isTheSameWhenComputedTwiceAndFromAnotherCopy(@TempDir Path other) throws IOException {
        String first = fingerprint(AppChangelog.source());

        AppChangelog.copyTo(other);
        try (URLClassLoader otherLoader = AppChangelog.loaderOf(other)) {
            assertThat(fingerprint(AppChangelog.source())).isEqualTo(first);
            assertThat(fingerprint(AppChangelog.source(), otherLoader)).isEqualTo(first);
        }
    }

    @Test
    void changesWhenTheMasterOrAnIncludedChangelogIsEdited() throws IOException {
        String before = fingerprint(AppChangelog.source());

        for (String file : new String[] {
            "db.changelog-master.yaml",
            "changes/001-schema.xml",
            "changes/002-data.json",
            "changes/003-reports.sql",
            "later/010-orders.yaml"
        }) {
            Path path = app.resolve(file);
            byte[] original = Files.readAllBytes(path);
            append(path, "\n");
            assertThat(fingerprint(AppChangelog.source())).as(file).isNotEqualTo(before);
            Files.write(path, original);
        }
        assertThat(fingerprint(AppChangelog.source())).isEqualTo(before);
    }

    @Test
    void changesWhenTheSqlFileOrTheCsvOfAChangeIsEdited() throws IOException {
        String before = fingerprint(AppChangelog.source());

        append(app.resolve("changes/sql/discount_of.sql"), "-- a comment\n");
        String sqlEdited = fingerprint(AppChangelog.source());
        append(app.resolve("changes/data/tiers.csv"), "bronze,5\n");
        String csvEdited = fingerprint(AppChangelog.source());

        assertThat(sqlEdited).isNotEqualTo(before);
        assertThat(csvEdited).isNotEqualTo(sqlEdited).isNotEqualTo(before);
    }

    @Test
    void changesWhenAFileIsAddedToOrRenamedInAnIncludedFolder() throws IOException {
        String before = fingerprint(AppChangelog.source());

        Path added = app.resolve("later/030-more.yaml");
        Files.copy(app.resolve("later/010-orders.yaml"), added);
        Files.writeString(added, Files.readString(added).replace("id: orders", "id: more-orders"));
        String withAdded = fingerprint(AppChangelog.source());
        Files.delete(added);
        Files.move(app.resolve("later/020-order-index.xml"), app.resolve("later/025-order-index.xml"));
        String renamed = fingerprint(AppChangelog.source());

        assertThat(withAdded).isNotEqualTo(before);
        assertThat(renamed).isNotEqualTo(before).isNotEqualTo(withAdded);
    }

    @Test
    void ignoresAFileTheChangelogDoesNotReach() throws IOException {
        String before = fingerprint(AppChangelog.source());

        append(app.resolve("changes/README.txt"), "More words.\n");
        Files.writeString(app.resolve("changes/unused.sql"), "SELECT 1;\n");

        assertThat(fingerprint(AppChangelog.source())).isEqualTo(before);
    }

    @Test
    void changesWithTheContextsTheLabelsAndTheParameters() {
        String before = fingerprint(AppChangelog.source());
        String master = AppChangelog.MASTER;
        Map<String, String> parameters = AppChangelog.PARAMETERS;

        assertThat(fingerprint(new LiquibaseSource(master, "prod", "!experimental", parameters, "test")))
                .isNotEqualTo(before);
        assertThat(fingerprint(new LiquibaseSource(master, "dev", "", parameters, "test")))
                .isNotEqualTo(before);
        assertThat(fingerprint(new LiquibaseSource(
                        master, "dev", "!experimental", Map.of("report_view", "discounts"), "test")))
                .isNotEqualTo(before);
        assertThat(fingerprint(new LiquibaseSource(
                        master, "dev", "!experimental", Map.of("report_view", "customer_discount", "x", ""), "test")))
                .isNotEqualTo(before);
        assertThat(fingerprint(new LiquibaseSource(master, "dev", "!experimental", parameters, "another origin")))
                .isEqualTo(before);
    }

    @Test
    void aChangelogLiquibaseCannotReadIsRefusedNamingIt() throws IOException {
        append(app.resolve("db.changelog-master.yaml"), "  - include:\n      file: changes/missing.xml\n");

        assertThatThrownBy(() -> fingerprint(AppChangelog.source()))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(
                        "Could not read Liquibase changelog " + AppChangelog.MASTER + " (from test [AppChangelog]): ")
                .hasMessageContaining("changes/missing.xml")
                .hasMessageEndingWith(". Fix the changelog.");
    }

    @Test
    void appendOnlyStepsAreRefusedForRunOnChangeAndRunAlways() throws IOException {
        assertThat(AppChangelog.source().appendOnlySteps(loader)).isPresent();

        Path orders = app.resolve("later/010-orders.yaml");
        Files.writeString(
                orders, Files.readString(orders).replace("author: dave", "author: dave\n      runOnChange: true"));
        assertThat(AppChangelog.source().appendOnlySteps(loader)).isEmpty();

        Files.writeString(orders, Files.readString(orders).replace("runOnChange", "runAlways"));
        assertThat(AppChangelog.source().appendOnlySteps(loader)).isEmpty();
    }

    @Test
    void appendOnlyStepsAreRefusedForPreconditions() throws IOException {
        // Checked again on top of an older template, a precondition may let run what a full build skipped.
        Path orders = app.resolve("later/010-orders.yaml");
        Files.writeString(
                orders,
                Files.readString(orders)
                        .replace(
                                "author: dave",
                                "author: dave\n      preConditions:\n        - onFail: CONTINUE\n"
                                        + "        - sqlCheck:\n            expectedResult: 0\n"
                                        + "            sql: SELECT count(*) FROM pg_class WHERE relname = 'x'"));
        assertThat(AppChangelog.source().appendOnlySteps(loader)).isEmpty();
    }

    @Test
    void appendOnlyStepsChangeWithTheContentOfTheirChangeset() throws IOException {
        var before = AppChangelog.source().appendOnlySteps(loader).orElseThrow();

        append(app.resolve("changes/data/tiers.csv"), "bronze,5\n");
        var after = AppChangelog.source().appendOnlySteps(loader).orElseThrow();

        // The first step stands for Liquibase's version and the changelog; tier-data, the second changeset, loads the
        // CSV.
        assertThat(after.subList(0, 2)).isEqualTo(before.subList(0, 2));
        assertThat(after.get(2)).isNotEqualTo(before.get(2));
        assertThat(after.subList(3, after.size())).isEqualTo(before.subList(3, before.size()));
    }

    private String fingerprint(LiquibaseSource source) {
        return fingerprint(source, loader);
    }

    private static String fingerprint(LiquibaseSource source, ClassLoader loader) {
        MessageDigest digest = FingerprintInputs.newSha256();
        source.fingerprint(new FingerprintInputs(digest), loader);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
