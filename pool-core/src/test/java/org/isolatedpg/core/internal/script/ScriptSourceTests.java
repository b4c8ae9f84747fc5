package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.Locations.LocatedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a script source reads and refuses, before any server is involved. */
class ScriptSourceTests {

    private static final ClassLoader LOADER = ScriptSourceTests.class.getClassLoader();
    private static final String ORIGIN = "configuration parameter 'isolatedpg.scripts'";

    /** Where nothing answers: a source that connects before refusing its input would fail otherwise. */
    private static final BuildTarget NOWHERE = new BuildTarget("jdbc:postgresql://127.0.0.1:1/none", "u", "", LOADER);

    @TempDir
    Path folder;

    @Test
    void describesItselfAsScriptsOrFixtures() {
        assertThat(new ScriptSource("isolatedpg.scripts", List.of("db/dump.sql", "filesystem:anon/"), false, ORIGIN)
                        .description())
                .isEqualTo("SQL scripts classpath:db/dump.sql,filesystem:anon/ (from " + ORIGIN + ")");
        assertThat(new ScriptSource("isolatedpg.fixtures", List.of("db/seed"), false, "@IsolatedPostgres(fixtures)")
                        .description())
                .isEqualTo("SQL fixtures classpath:db/seed (from @IsolatedPostgres(fixtures))");
    }

    @Test
    void fingerprintsEachFileInTheOrderItRunsByItsLocationsPositionAndItsName() {
        String recorded =
                recorded(source(false, "scripts/ordered/", "classpath:scripts/anonymise/anonymise-customers.sql"));

        assertThat(recorded.lines().map(line -> line.replaceAll("\0[0-9a-f]{64}$", "")))
                .containsExactly(
                        "isolatedpg.scripts", "file 1:10_b.sql", "file 1:2_a.sql", "file 2:anonymise-customers.sql");
    }

    @Test
    void fingerprintsTheOwnershipSettingWhenOn() {
        assertThat(recorded(source(true, "scripts/ordered/2_a.sql")).lines().map(line -> line.replaceAll("\0.*", "")))
                .containsExactly("isolatedpg.scripts", "keep owners and privileges", "file 1:2_a.sql");
    }

    @Test
    void fingerprintIsStableAndChangesWithAnyEditRenameOrReorder() throws IOException {
        Files.writeString(folder.resolve("a.sql"), "CREATE TABLE a ();");
        Files.writeString(folder.resolve("b.sql"), "CREATE TABLE b ();");
        String a = "filesystem:" + folder.resolve("a.sql");
        String dir = "filesystem:" + folder;
        String original = fingerprint(source(false, dir));

        assertThat(fingerprint(source(false, dir))).isEqualTo(original);
        assertThat(fingerprint(source(true, dir))).isNotEqualTo(original);
        assertThat(fingerprint(source(false, a, dir))).isNotEqualTo(fingerprint(source(false, dir, a)));
        assertThat(fingerprint(new ScriptSource("isolatedpg.fixtures", List.of(dir), false, ORIGIN)))
                .isNotEqualTo(original);

        Files.writeString(folder.resolve("b.sql"), "CREATE TABLE b (id int);");
        String edited = fingerprint(source(false, dir));
        Files.move(folder.resolve("b.sql"), folder.resolve("c.sql"));
        String renamed = fingerprint(source(false, dir));

        assertThat(List.of(original, edited, renamed)).doesNotHaveDuplicates();
    }

    @Test
    void tellsAFileFromAFolderInWindowsPathsToo() {
        List<LocatedFile> dump = List.of(new LocatedFile("prod.sql", new byte[0]));

        assertThat(ScriptSource.namesOneFile("filesystem:C:\\dumps\\prod.sql", dump))
                .isTrue();
        assertThat(ScriptSource.namesOneFile("filesystem:/dumps/prod.sql", dump))
                .isTrue();
        assertThat(ScriptSource.namesOneFile("filesystem:C:\\dumps\\", dump)).isFalse();
    }

    @Test
    void fingerprintDoesNotDependOnWhereTheCheckoutLies(@TempDir Path elsewhere) throws IOException {
        for (Path checkout : List.of(folder, elsewhere)) {
            Files.writeString(checkout.resolve("a.sql"), "CREATE TABLE a ();");
        }

        assertThat(fingerprint(source(false, "filesystem:" + elsewhere)))
                .isEqualTo(fingerprint(source(false, "filesystem:" + folder)));
    }

    @Test
    void refusesALocationWithoutAnySqlFile() {
        for (String location : List.of("classpath:scripts/nothing-here", "scripts/empty-folder")) {
            assertThatThrownBy(() -> source(false, location).fingerprint(inputs(), LOADER))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessage("No .sql file at '" + (location.startsWith("classpath:") ? "" : "classpath:")
                            + location + "' (from " + ORIGIN + "). Check the location in 'isolatedpg.scripts': a file,"
                            + " or a folder whose .sql files run in name order (its sub-folders are not read), on the"
                            + " test classpath (classpath:, the default) or in the file system (filesystem:).");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "tiny.dump        | is a pg_dump custom-format archive (it starts with PGDMP). <fix>",
                "tiny.tar         | is a tar archive (pg_dump -Ft writes them). <fix>",
                "tiny-directory   | is a pg_dump directory-format dump (it holds toc.dat). <fix>",
                "tiny.sql.gz      | is gzip-compressed: gunzip it first (or dump without -Z)"
            })
    void refusesArchivesAndCompressedDumpsAtOnce(String file, String what) {
        String location = "scripts/archives/" + file;
        String message = "'classpath:" + location + "' (from " + ORIGIN + ", 'isolatedpg.scripts') "
                + what.replace("<fix>", ScriptBytes.DUMP_AS_PLAIN_SQL);

        assertThatThrownBy(() -> source(false, location).fingerprint(inputs(), LOADER))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> source(false, location).apply(NOWHERE))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage(message);
    }

    @Test
    void refusesAnArchiveNamedLikeAScriptInAFolder() throws IOException {
        Files.write(folder.resolve("01_dump.sql"), "PGDMP\u0001\u000f\u0000".getBytes(StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> source(false, "filesystem:" + folder).fingerprint(inputs(), LOADER))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("'filesystem:" + folder + "/01_dump.sql' (from " + ORIGIN
                        + ", 'isolatedpg.scripts') is a pg_dump custom-format archive");
    }

    private static ScriptSource source(boolean keepOwnersAndPrivileges, String... locations) {
        return new ScriptSource("isolatedpg.scripts", List.of(locations), keepOwnersAndPrivileges, ORIGIN);
    }

    private static FingerprintInputs inputs() {
        return new FingerprintInputs(FingerprintInputs.newSha256());
    }

    private static String fingerprint(ScriptSource source) {
        MessageDigest digest = FingerprintInputs.newSha256();
        source.fingerprint(new FingerprintInputs(digest), LOADER);
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /** The text a source feeds into its fingerprint. */
    private static String recorded(ScriptSource source) {
        Recording recording = new Recording();
        source.fingerprint(new FingerprintInputs(recording), LOADER);
        return recording.bytes.toString(StandardCharsets.UTF_8);
    }

    /** A digest that keeps what it is fed, to read it back. */
    private static final class Recording extends MessageDigest {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Recording() {
            super("recording");
        }

        @Override
        protected void engineUpdate(byte input) {
            bytes.write(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            bytes.write(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            return bytes.toByteArray();
        }

        @Override
        protected void engineReset() {
            bytes.reset();
        }
    }
}
