package org.isolatedpg.core.internal.server.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256: short names for cache entries, and whole digests to verify a jar against its pin. */
final class Sha256 {

    private Sha256() {}

    /** 16 hex digits, plenty to tell a handful of archives apart. */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes)).substring(0, 16);
    }

    /** The whole digest of a file, in lower-case hex, read in a stream (a macOS binaries jar is 71 MB). */
    static String of(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
