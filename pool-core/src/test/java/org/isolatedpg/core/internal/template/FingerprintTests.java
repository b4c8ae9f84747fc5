package org.isolatedpg.core.internal.template;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.internal.flyway.FlywaySource;
import org.isolatedpg.core.internal.liquibase.LiquibaseSource;
import org.isolatedpg.core.internal.script.ScriptSource;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintTests {

    private static final Map<String, String> MIGRATIONS = Map.of(
            "V1__create_items.sql", "CREATE TABLE item (id int PRIMARY KEY);\n",
            "V2__seed_items.sql", "INSERT INTO item VALUES (1);\n");

    /** Pinned (and checked by an independent computation): a change here means every user's cached templates are rebuilt. Bump FORMAT_VERSION on purpose only. */
    private static final String GOLDEN = "d0f0271262260f11414af015994b870528564a47ebd469177ac69131f81b310f";

    /** The same migrations for restricted privileges, checked by an independent computation (Python hashlib). */
    private static final String RESTRICTED_GOLDEN = "d21111916dedd2859686166ed9b6a21c00305f5e093dc66a796e10da60a1c4f9";

    @TempDir
    Path directory;

    @Test
    void matchesTheGoldenValue() throws IOException {
        assertThat(flyway(MIGRATIONS, Map.of(), 18, Privileges.ADMIN)).isEqualTo(GOLDEN);
    }

    @Test
    void matchesTheGoldenValueOfAClasspathLocation() {
        assertThat(Fingerprint.of(
                        List.of(new FlywaySource(List.of("classpath:db/pooltest"), Map.of(), "test")),
                        getClass().getClassLoader(),
                        18,
                        Privileges.ADMIN))
                .isEqualTo("0ae096a380157cdbc1b75f1ffc292eeaaea9a769ff8e62f38bf1e60ff5d3da1d");
    }

    @Test
    void ignoresTheOrderLocationsAreGivenIn() throws IOException {
        write(directory.resolve("a"), Map.of("V1__create_items.sql", MIGRATIONS.get("V1__create_items.sql")));
        write(directory.resolve("b"), Map.of("V2__seed_items.sql", MIGRATIONS.get("V2__seed_items.sql")));
        String a = "filesystem:" + directory.resolve("a");
        String b = "filesystem:" + directory.resolve("b");
        assertThat(fingerprint(new FlywaySource(List.of(b, a), Map.of(), "test"), 18, Privileges.ADMIN))
                .isEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsEdited() throws IOException {
        assertThat(flyway(with("V2__seed_items.sql", "INSERT INTO item VALUES (2);\n"), Map.of(), 18, Privileges.ADMIN))
                .isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenOnlyLineEndingsChange() throws IOException {
        assertThat(flyway(
                        with("V1__create_items.sql", "CREATE TABLE item (id int PRIMARY KEY);\r\n"),
                        Map.of(),
                        18,
                        Privileges.ADMIN))
                .isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsRenamed() throws IOException {
        Map<String, String> renamed = new HashMap<>(MIGRATIONS);
        renamed.put("V3__seed_items.sql", renamed.remove("V2__seed_items.sql"));
        assertThat(flyway(renamed, Map.of(), 18, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsAdded() throws IOException {
        assertThat(flyway(
                        with("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n"), Map.of(), 18, Privileges.ADMIN))
                .isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWithPlaceholdersAndThePostgresMajorVersion() throws IOException {
        assertThat(flyway(MIGRATIONS, Map.of("schema", "app"), 18, Privileges.ADMIN))
                .isNotEqualTo(GOLDEN);
        assertThat(flyway(MIGRATIONS, Map.of(), 17, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void keepsTheGoldenValueForAdminPrivilegesAndPinsAnotherForRestricted() throws IOException {
        // admin templates are what every template was before the setting existed: same content, same fingerprint.
        // restricted ones have their objects owned by another role, so they must never be mistaken for them.
        assertThat(flyway(MIGRATIONS, Map.of(), 18, Privileges.RESTRICTED))
                .isEqualTo(RESTRICTED_GOLDEN)
                .isNotEqualTo(GOLDEN);
    }

    /**
     * One pinned value per source kind, so that no change to how a kind is fingerprinted goes unnoticed: each rebuilds
     * every user's templates of that kind. The scripts' value is checked by an independent computation (Python hashlib,
     * over the lines the javadoc of each source describes).
     */
    @Test
    void matchesTheGoldenValueOfEachSourceKind() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(Fingerprint.of(List.of(), loader, 18, Privileges.ADMIN))
                .as("an empty database")
                .isEqualTo("8df6ccf81aef8c97b4e55b114555ac4fa400d5e056c88812af82ffb54d1bd0a8");
        ScriptSource scripts = new ScriptSource(
                ConfigKeys.SCRIPTS,
                List.of("scripts/ordered", "scripts/anonymise/anonymise-customers.sql"),
                false,
                "test");
        assertThat(Fingerprint.of(List.of(scripts), loader, 18, Privileges.ADMIN))
                .as("SQL scripts")
                .isEqualTo("d7287203cd6241f643a22e14a7bdc3d680af4b12498e94dc02a70197e64f8042");
        assertThat(Fingerprint.ofChild("0".repeat(64), scripts, loader))
                .as("fixtures on a parent template")
                .isEqualTo("2dbaa61a5e99b9cab054cdb3a530c6734f8b024d7335c99d98d0efb035321d59");
        assertThat(Fingerprint.of(
                        List.of(new LiquibaseSource(
                                "liquibase/app/db.changelog-master.yaml", "", "", Map.of(), "test")),
                        loader,
                        18,
                        Privileges.ADMIN))
                .as("a Liquibase changelog, read by Liquibase 4.33.0 (its version counts)")
                .isEqualTo("8a0d878aa2497d72b10ba4aceba527be6da25fc3387c203162428d92372a5802");
    }

    private static Map<String, String> with(String name, String content) {
        Map<String, String> changed = new HashMap<>(MIGRATIONS);
        changed.put(name, content);
        return changed;
    }

    private String flyway(Map<String, String> files, Map<String, String> placeholders, int major, Privileges privileges)
            throws IOException {
        Path location = Files.createTempDirectory(directory, "migrations");
        write(location, files);
        return fingerprint(
                new FlywaySource(List.of("filesystem:" + location), placeholders, "test"), major, privileges);
    }

    private String fingerprint(TemplateSource source, int major, Privileges privileges) {
        return Fingerprint.of(List.of(source), getClass().getClassLoader(), major, privileges);
    }

    private static void write(Path location, Map<String, String> files) throws IOException {
        Files.createDirectories(location);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(location.resolve(file.getKey()), file.getValue(), UTF_8);
        }
    }
}
