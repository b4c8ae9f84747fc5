package org.isolatedpg.core.internal.template;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.template.MigrationFiles.MigrationFile;
import org.junit.jupiter.api.Test;

class FingerprintTests {

    private static final List<MigrationFile> MIGRATIONS = List.of(
            file("V1__create_items.sql", "CREATE TABLE item (id int PRIMARY KEY);\n"),
            file("V2__seed_items.sql", "INSERT INTO item VALUES (1);\n"));

    /** Pinned (and checked by an independent computation): a change here means every user's cached templates are rebuilt. Bump FORMAT_VERSION on purpose only. */
    private static final String GOLDEN = "d0f0271262260f11414af015994b870528564a47ebd469177ac69131f81b310f";

    /** The same migrations for restricted privileges, checked by an independent computation (Python hashlib). */
    private static final String RESTRICTED_GOLDEN = "36eb29de50c243a75f0bd82c27c5c3ba909d76aebf9fcd41726e2e5f98034640";

    @Test
    void matchesTheGoldenValue() {
        assertThat(Fingerprint.of(MIGRATIONS, Map.of(), 18, Privileges.ADMIN)).isEqualTo(GOLDEN);
    }

    @Test
    void matchesTheGoldenValueOfAClasspathLocation() {
        assertThat(Fingerprint.of(
                        TemplateSpec.of("classpath:db/pooltest"), getClass().getClassLoader(), 18, Privileges.ADMIN))
                .isEqualTo("0ae096a380157cdbc1b75f1ffc292eeaaea9a769ff8e62f38bf1e60ff5d3da1d");
    }

    @Test
    void ignoresTheOrderFilesAreFoundIn() {
        assertThat(Fingerprint.of(List.of(MIGRATIONS.get(1), MIGRATIONS.get(0)), Map.of(), 18, Privileges.ADMIN))
                .isEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsEdited() {
        List<MigrationFile> edited =
                List.of(MIGRATIONS.get(0), file("V2__seed_items.sql", "INSERT INTO item VALUES (2);\n"));
        assertThat(Fingerprint.of(edited, Map.of(), 18, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenOnlyLineEndingsChange() {
        List<MigrationFile> crlf =
                List.of(file("V1__create_items.sql", "CREATE TABLE item (id int PRIMARY KEY);\r\n"), MIGRATIONS.get(1));
        assertThat(Fingerprint.of(crlf, Map.of(), 18, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsRenamed() {
        List<MigrationFile> renamed = List.of(
                MIGRATIONS.get(0),
                new MigrationFile("V3__seed_items.sql", MIGRATIONS.get(1).content()));
        assertThat(Fingerprint.of(renamed, Map.of(), 18, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWhenAMigrationIsAdded() {
        List<MigrationFile> added = new ArrayList<>(MIGRATIONS);
        added.add(file("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n"));
        assertThat(Fingerprint.of(added, Map.of(), 18, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void changesWithPlaceholdersAndThePostgresMajorVersion() {
        assertThat(Fingerprint.of(MIGRATIONS, Map.of("schema", "app"), 18, Privileges.ADMIN))
                .isNotEqualTo(GOLDEN);
        assertThat(Fingerprint.of(MIGRATIONS, Map.of(), 17, Privileges.ADMIN)).isNotEqualTo(GOLDEN);
    }

    @Test
    void keepsTheGoldenValueForAdminPrivilegesAndPinsAnotherForRestricted() {
        // admin templates are what every template was before the setting existed: same content, same fingerprint.
        // restricted ones have their objects owned by another role, so they must never be mistaken for them.
        assertThat(Fingerprint.of(MIGRATIONS, Map.of(), 18, Privileges.RESTRICTED))
                .isEqualTo(RESTRICTED_GOLDEN)
                .isNotEqualTo(GOLDEN);
    }

    private static MigrationFile file(String name, String content) {
        return new MigrationFile(name, content.getBytes(UTF_8));
    }
}
