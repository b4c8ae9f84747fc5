package org.isolatedpg.core.internal.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * What a {@link TemplateSource} feeds into a fingerprint: lines of text (settings) and files (a name and its bytes).
 * Order matters: a source adds its inputs in the order that decides its effect.
 */
public final class FingerprintInputs {

    private final MessageDigest digest;

    public FingerprintInputs(MessageDigest digest) {
        this.digest = digest;
    }

    /** A setting that changes the effect, as one line: {@code liquibase contexts test,dev}. */
    public void text(String line) {
        digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** A file read: its name (relative to where it was found) and the SHA-256 of its bytes. */
    public void file(String name, byte[] content) {
        text("file " + name + "\0" + sha256(content));
    }

    /** The SHA-256 of some bytes, as 64 lower-case hex digits. */
    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newSha256().digest(content));
    }

    /** A new SHA-256 digest. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
