package org.isolatedpg.core.internal.script;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.Locations;
import org.isolatedpg.core.internal.source.Locations.LocatedFile;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * A template's plain SQL scripts: hand-written files, a {@code pg_dump -Fp} dump, the anonymisation script run after
 * it. Also a template's fixtures, the same files under another key.
 *
 * <p>Each location ({@code classpath:}, the default, or {@code filesystem:}) names a file, or a folder whose
 * {@code .sql} files run in name order ({@link String#compareTo}: {@code 10_b.sql} before {@code 2_a.sql}, so pad the
 * numbers). Only a folder's top level counts: its sub-folders are not read, so a folder of scripts can keep what is
 * not to run (a generator, an archived dump) below it. The locations run in the order given; each file on a fresh connection, as
 * {@code psql -f} would run it ({@link ScriptRunner}).
 *
 * <p>Its fingerprint is the key, the ownership setting, and every file in the order it runs: its location's position,
 * its name there and its bytes. Renaming, editing or reordering any of them builds another template; moving the
 * checkout (a {@code filesystem:} path of another developer) does not.
 */
public final class ScriptSource implements TemplateSource {

    private static final String SQL = ".sql";

    private final String key;
    private final List<String> locations;
    private final boolean keepOwnersAndPrivileges;
    private final String origin;

    /**
     * A file to run: its name in messages ({@code classpath:db/seed/01_users.sql}), its name in the fingerprint (the
     * location's position and the file's name there, {@code 2:01_users.sql}: where a checkout lies does not change
     * what the template holds), and its bytes.
     */
    private record ScriptFile(String name, String fingerprintName, byte[] content) {}

    /**
     * @param key the configuration key the locations came from ({@code isolatedpg.scripts}, {@code
     *     isolatedpg.fixtures}), for messages and the fingerprint
     * @param locations files or folders; one without a prefix is {@code classpath:}
     * @param keepOwnersAndPrivileges run {@code ALTER … OWNER TO}, {@code GRANT}, {@code REVOKE} and {@code ALTER
     *     DEFAULT PRIVILEGES} even when the role they name does not exist (and fail then); by default they are skipped
     *     for such roles only
     * @param origin where the locations were named, for messages
     */
    public ScriptSource(String key, List<String> locations, boolean keepOwnersAndPrivileges, String origin) {
        this.key = key;
        this.locations = locations.stream().map(Locations::normalize).toList();
        this.keepOwnersAndPrivileges = keepOwnersAndPrivileges;
        this.origin = origin;
    }

    @Override
    public String stepNoun() {
        return "script";
    }

    @Override
    public String description() {
        String kind = key.endsWith("fixtures") ? "SQL fixtures " : "SQL scripts ";
        return kind + String.join(",", locations) + " (from " + origin + ")";
    }

    @Override
    public void fingerprint(FingerprintInputs inputs, ClassLoader loader) {
        inputs.text(key);
        if (keepOwnersAndPrivileges) {
            inputs.text("keep owners and privileges");
        }
        files(loader).forEach(file -> inputs.file(file.fingerprintName(), file.content()));
    }

    @Override
    public int apply(BuildTarget target) {
        List<ScriptFile> files = files(target.loader());
        ScriptRunner runner = new ScriptRunner(keepOwnersAndPrivileges);
        for (ScriptFile file : files) {
            String text;
            try {
                text = ScriptBytes.text(file.content());
            } catch (IllegalArgumentException e) {
                throw new SourceFailedException("script " + file.name(), e);
            }
            try (Connection connection = target.connect()) {
                runner.run(file.name(), text, connection);
            } catch (SQLException e) {
                throw new SourceFailedException("script " + file.name(), e);
            }
        }
        return files.size();
    }

    /** The files to run, in order; refuses a location without any and the files that are no plain SQL. */
    private List<ScriptFile> files(ClassLoader loader) {
        List<ScriptFile> files = new ArrayList<>();
        for (int i = 0; i < locations.size(); i++) {
            String location = locations.get(i);
            String position = (i + 1) + ":";
            List<LocatedFile> found = Locations.read(location, loader);
            if (namesOneFile(location, found)) {
                LocatedFile file = found.get(0);
                files.add(checked(location, position + file.name(), file.content()));
                continue;
            }
            List<LocatedFile> topLevel =
                    found.stream().filter(file -> !file.name().contains("/")).toList();
            if (topLevel.stream().anyMatch(file -> file.name().equals("toc.dat"))) {
                throw invalid("'" + location + "' (from " + origin + ", '" + key + "') is a pg_dump directory-format"
                        + " dump (it holds toc.dat). " + ScriptBytes.DUMP_AS_PLAIN_SQL);
            }
            List<LocatedFile> scripts = topLevel.stream()
                    .filter(file -> file.name().endsWith(SQL))
                    .sorted(Comparator.comparing(LocatedFile::name))
                    .toList();
            if (scripts.isEmpty()) {
                throw invalid("No .sql file at '" + location + "' (from " + origin + "). Check the location in '" + key
                        + "': a file, or a folder whose .sql files run in name order (its sub-folders are not read),"
                        + " on the test classpath (classpath:, the default) or in the file system (filesystem:).");
            }
            String folder = location.replaceAll("/+$", "");
            scripts.forEach(
                    file -> files.add(checked(folder + "/" + file.name(), position + file.name(), file.content())));
        }
        return files;
    }

    /**
     * Whether the location names a file rather than a folder: all it found is one file named as the location ends
     * (several classpath roots may hold the same file; the first found runs, as {@link ClassLoader#getResource}).
     */
    static boolean namesOneFile(String location, List<LocatedFile> found) {
        String path = location.replaceAll("[/\\\\]+$", "");
        String last = path.substring(
                Math.max(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')), path.indexOf(':')) + 1);
        return !found.isEmpty() && found.stream().allMatch(file -> file.name().equals(last));
    }

    private ScriptFile checked(String name, String fingerprintName, byte[] content) {
        ScriptBytes.notPlainSql(content).ifPresent(reason -> {
            throw invalid("'" + name + "' (from " + origin + ", '" + key + "') " + reason);
        });
        return new ScriptFile(name, fingerprintName, content);
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message);
    }
}
