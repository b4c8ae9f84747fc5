package org.isolatedpg.core.internal.template;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * The SHA-256 that names a template: over our template format version, the PostgreSQL major version, for
 * {@code restricted} privileges that the objects belong to the clones' group role, and then each source's inputs in
 * the order the sources run (see {@link TemplateSource#fingerprint}).
 *
 * <p>The privileges enter only when they change the template's content: a {@code restricted} template's objects are
 * owned by another role than an {@code admin} one's, so the two must never be taken for each other; an {@code admin}
 * template is what every template was before the setting existed, and keeps its fingerprint, so it is not rebuilt.
 * For the same reason Flyway's inputs carry no heading of their own. Change {@link #FORMAT_VERSION} whenever templates
 * built by an earlier version must not be reused.
 */
public final class Fingerprint {

    static final int FORMAT_VERSION = 1;

    private Fingerprint() {}

    /** The fingerprint of a template made by {@code sources}, as 64 lower-case hex digits. */
    public static String of(
            List<TemplateSource> sources, ClassLoader loader, int postgresMajorVersion, Privileges privileges) {
        MessageDigest digest = FingerprintInputs.newSha256();
        FingerprintInputs inputs = new FingerprintInputs(digest);
        inputs.text("isolated-postgres template format " + FORMAT_VERSION);
        inputs.text("postgresql major version " + postgresMajorVersion);
        if (privileges == Privileges.RESTRICTED) {
            // The group role may also flush its sessions' statistics (CloneRoles), which templates built before
            // could not: those are not reused.
            inputs.text("objects owned by the clones' group role, which may flush its statistics");
        }
        for (TemplateSource source : sources) {
            source.fingerprint(inputs, loader);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The fingerprint of a child template: {@code fixtures} applied on top of the template {@code parent}. */
    public static String ofChild(String parent, TemplateSource fixtures, ClassLoader loader) {
        MessageDigest digest = FingerprintInputs.newSha256();
        FingerprintInputs inputs = new FingerprintInputs(digest);
        inputs.text("isolated-postgres template format " + FORMAT_VERSION);
        inputs.text("on top of template " + parent);
        fixtures.fingerprint(inputs, loader);
        return HexFormat.of().formatHex(digest.digest());
    }
}
