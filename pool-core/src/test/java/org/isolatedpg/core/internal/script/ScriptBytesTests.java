package org.isolatedpg.core.internal.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptBytesTests {

    @Test
    void decodesUtf8AndSkipsAByteOrderMark() {
        byte[] text = "SELECT 'ünïcödé 🐘';".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(text, 0, withBom, 3, text.length);

        assertThat(ScriptBytes.text(text)).isEqualTo("SELECT 'ünïcödé 🐘';");
        assertThat(ScriptBytes.text(withBom)).isEqualTo("SELECT 'ünïcödé 🐘';");
    }

    @Test
    void namesTheLineOfTheFirstByteThatIsNotUtf8() {
        byte[] latin1 = "SELECT 1;\nSELECT 'caf\u00e9';\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> ScriptBytes.text(latin1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not UTF-8 text: line 2 holds a byte sequence that is not UTF-8. Save the script as UTF-8"
                        + " (a dump: pg_dump -E UTF8).");
    }

    @Test
    void recognisesArchivesAndCompressedFiles() {
        assertThat(ScriptBytes.notPlainSql("PGDMP\u0001\u000e".getBytes(StandardCharsets.ISO_8859_1)))
                .contains("is a pg_dump custom-format archive (it starts with PGDMP). Only plain SQL runs here (there"
                        + " is no pg_restore): dump with pg_dump -Fp, or turn the archive into a script with"
                        + " pg_restore -f dump.sql <archive>.");
        byte[] tar = new byte[512];
        System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, tar, 257, 5);
        assertThat(ScriptBytes.notPlainSql(tar))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("is a tar archive"));
        assertThat(ScriptBytes.notPlainSql(new byte[] {0x1f, (byte) 0x8b, 8}))
                .contains("is gzip-compressed: gunzip it first (or dump without -Z)");
        assertThat(ScriptBytes.notPlainSql(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("is zstd-compressed"));
        assertThat(ScriptBytes.notPlainSql("-- PGDMP is only a word here\nSELECT 1;".getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
        assertThat(ScriptBytes.notPlainSql(new byte[0])).isEmpty();
    }
}
