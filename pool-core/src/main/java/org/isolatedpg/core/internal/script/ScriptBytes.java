package org.isolatedpg.core.internal.script;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a script file's bytes into its text: UTF-8, a byte order mark at the start skipped. Recognises the files that
 * look like a script and are not: pg_dump's other output formats and compressed files.
 */
final class ScriptBytes {

    private ScriptBytes() {}

    /** What to do with a pg_dump archive: the embedded server comes without pg_restore. */
    static final String DUMP_AS_PLAIN_SQL = "Only plain SQL runs here (there is no pg_restore): dump with"
            + " pg_dump -Fp, or turn the archive into a script with pg_restore -f dump.sql <archive>.";

    /**
     * Why the bytes are not a plain SQL script, and what to do instead; empty when they may be one.
     *
     * @return {@code "is a pg_dump custom-format archive (it starts with PGDMP). Only plain SQL runs here …"}
     */
    static Optional<String> notPlainSql(byte[] content) {
        if (startsWith(content, 'P', 'G', 'D', 'M', 'P')) {
            return Optional.of("is a pg_dump custom-format archive (it starts with PGDMP). " + DUMP_AS_PLAIN_SQL);
        }
        if (hasAt(content, 257, 'u', 's', 't', 'a', 'r')) {
            return Optional.of("is a tar archive (pg_dump -Ft writes them). " + DUMP_AS_PLAIN_SQL);
        }
        if (startsWith(content, 0x1f, 0x8b)) {
            return Optional.of("is gzip-compressed: gunzip it first (or dump without -Z)");
        }
        if (startsWith(content, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Optional.of("is zstd-compressed: decompress it first with zstd -d (or dump without -Z)");
        }
        if (startsWith(content, 0x04, 0x22, 0x4d, 0x18)) {
            return Optional.of("is lz4-compressed: decompress it first with lz4 -d (or dump without -Z)");
        }
        return Optional.empty();
    }

    /**
     * The text of a script.
     *
     * @throws IllegalArgumentException when the bytes are not UTF-8, naming the line of the first bad byte
     */
    static String text(byte[] content) {
        int start = startsWith(content, 0xef, 0xbb, 0xbf) ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(content, start, content.length - start);
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(
                    "Not UTF-8 text: line " + lineAt(content, bytes.position())
                            + " holds a byte sequence that is not UTF-8. Save the script as UTF-8"
                            + " (a dump: pg_dump -E UTF8).",
                    e);
        }
    }

    private static int lineAt(byte[] content, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < content.length; i++) {
            if (content[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        return hasAt(content, 0, prefix);
    }

    private static boolean hasAt(byte[] content, int offset, int... prefix) {
        if (content.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[offset + i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
