package org.isolatedpg.core.internal.template;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.template.MigrationFiles.MigrationFile;

/**
 * The SHA-256 that names a template: over every migration file's name and bytes (sorted; line endings and a BOM
 * count, as they are bytes), the placeholders, the PostgreSQL major version, our template format version and, for
 * {@code restricted} privileges, that the objects belong to the clones' group role. Flyway's CRC32 checksums are not a
 * cache key.
 *
 * <p>The privileges enter only when they change the template's content: a {@code restricted} template's objects are
 * owned by another role than an {@code admin} one's, so the two must never be taken for each other; an {@code admin}
 * template is what every template was before the setting existed, and keeps its fingerprint, so it is not rebuilt. Change {@link #FORMAT_VERSION} whenever templates built by an earlier version
 * must not be reused.
 */
public final class Fingerprint {

    static final int FORMAT_VERSION = 1;

    private Fingerprint() {}

    /** The fingerprint of the spec's migrations, as 64 lower-case hex digits. */
    public static String of(TemplateSpec spec, ClassLoader loader, int postgresMajorVersion, Privileges privileges) {
        return of(MigrationFiles.list(spec, loader), spec.placeholders(), postgresMajorVersion, privileges);
    }

    static String of(
            List<MigrationFile> files,
            Map<String, String> placeholders,
            int postgresMajorVersion,
            Privileges privileges) {
        MessageDigest digest = sha256();
        update(digest, "isolated-postgres template format " + FORMAT_VERSION + "\n");
        update(digest, "postgresql major version " + postgresMajorVersion + "\n");
        if (privileges == Privileges.RESTRICTED) {
            update(digest, "objects owned by the clones' group role\n");
        }
        new TreeMap<>(placeholders)
                .forEach((name, value) -> update(digest, "placeholder " + name + "=" + value + "\n"));
        HexFormat hex = HexFormat.of();
        files.stream()
                .map(file -> file.name() + "\0" + hex.formatHex(sha256().digest(file.content())) + "\n")
                .sorted(Comparator.naturalOrder())
                .forEach(line -> update(digest, "file " + line));
        return hex.formatHex(digest.digest());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
