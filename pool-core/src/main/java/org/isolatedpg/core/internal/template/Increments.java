package org.isolatedpg.core.internal.template;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.isolatedpg.core.internal.sql.Databases;
import org.isolatedpg.core.internal.sql.Databases.SteppedTemplate;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;

/**
 * Incremental templates: when a template's migrations only add to those of a template that exists on the server, it
 * is built as a clone of that older template plus the new migrations, instead of from nothing.
 *
 * <p>Each template whose first source has append-only steps (Flyway's versioned migrations, Liquibase's changesets)
 * has a <em>chain</em>: link {@code k} is a SHA-256 over link {@code k-1} and step {@code k}, and link 0 over our
 * format, the PostgreSQL major version, the privileges and the source's kind; a source's first step stands for its
 * settings (placeholders; Liquibase's version, location, contexts, labels and parameters). Equal link {@code k} means equal first {@code k} steps in the
 * same setting. A template made of such a source alone records {@code steps <k> <link k>} in its comment; a new
 * template whose link {@code k} equals an older one's record starts from a clone of it, and its source, run again,
 * applies only steps {@code k+1…}: Flyway and Liquibase skip what their history table says is applied. Templates with
 * scripts, an initializer or fixtures record nothing: what ran after their migrations would sit under the new ones.
 */
final class Increments {

    private Increments() {}

    /** A template's chain, and whether the template is made of its append-only source alone. */
    record Chain(List<String> links, boolean pure) {

        /** What the template records in its comment, when it can be another's base; null when it cannot. */
        String record() {
            return pure && !links.isEmpty() ? "steps " + links.size() + " " + links.get(links.size() - 1) : null;
        }
    }

    /** An older template to build on, and how many of the new template's steps it holds. */
    record Base(String name, int steps) {}

    /** The chain of a template, when its first source has append-only steps and it has no parent. */
    static Optional<Chain> chain(Template.Source source, int postgresMajorVersion) {
        if (source.parent() != null || source.sources().isEmpty()) {
            return Optional.empty();
        }
        TemplateSource first = source.sources().get(0);
        return first.appendOnlySteps(source.loader()).map(steps -> {
            String link = FingerprintInputs.sha256(setting(source, first, postgresMajorVersion));
            List<String> links = new ArrayList<>(steps.size());
            for (String step : steps) {
                link = FingerprintInputs.sha256(bytes(link + "\n" + step));
                links.add(link);
            }
            return new Chain(List.copyOf(links), source.sources().size() == 1);
        });
    }

    /** The older template that holds the longest prefix of the chain's steps, if any. */
    static Optional<Base> base(Chain chain, Databases databases) throws SQLException {
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < chain.links().size(); i++) {
            positions.put(chain.links().get(i), i + 1);
        }
        Base best = null;
        for (SteppedTemplate template : databases.steppedTemplates()) {
            String[] words = template.steps().split(" ");
            if (words.length != 3) {
                continue;
            }
            Integer position = positions.get(words[2]);
            if (position != null && words[1].equals(position.toString()) && (best == null || position > best.steps())) {
                best = new Base(template.name(), position);
            }
        }
        return Optional.ofNullable(best);
    }

    /** What decides how the steps run, beyond the source's own first step: ours, the server's and the privileges. */
    private static byte[] setting(Template.Source source, TemplateSource first, int postgresMajorVersion) {
        return bytes("isolated-postgres template format " + Fingerprint.FORMAT_VERSION + "\npostgresql major version "
                + postgresMajorVersion + "\nprivileges " + source.privileges() + "\nsource "
                + first.getClass().getName());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
