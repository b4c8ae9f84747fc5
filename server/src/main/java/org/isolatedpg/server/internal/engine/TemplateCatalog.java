package org.isolatedpg.server.internal.engine;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.sql.Databases;

/**
 * The client's hash of each template, kept in the template's comment beside pool-core's record of its last use
 * ({@code integresql hash <hash> built <instant>}), so that listings name templates by hash after a restart.
 */
final class TemplateCatalog {

    private static final String LABEL = "integresql hash ";
    private static final String BUILT = " built ";

    /** A template a client built. */
    record Entry(String hash, String database, long sizeBytes, Instant created, Instant lastUsed) {}

    private TemplateCatalog() {}

    static void label(Attachment attachment, String template, String hash) throws SQLException {
        Databases databases = attachment.databases();
        databases.comment(template, LABEL + hash + BUILT + databases.now());
    }

    /** The templates on the server that carry a client's hash. */
    static List<Entry> read(Attachment attachment) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        for (Databases.SealedTemplate template : attachment.databases().sealedTemplates()) {
            template.record()
                    .lines()
                    .filter(line -> line.startsWith(LABEL))
                    .findFirst()
                    .ifPresent(line -> {
                        String rest = line.substring(LABEL.length());
                        int built = rest.indexOf(BUILT);
                        String hash = built < 0 ? rest : rest.substring(0, built);
                        entries.add(new Entry(
                                hash,
                                template.name(),
                                template.sizeBytes(),
                                built < 0 ? null : instant(rest.substring(built + BUILT.length())),
                                template.lastUsed()));
                    });
        }
        return entries;
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
