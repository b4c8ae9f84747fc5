package org.isolatedpg.core.internal.template;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.Privileges;
import org.isolatedpg.core.ServerFailureException;
import org.isolatedpg.core.TemplateSpec;
import org.isolatedpg.core.internal.attachment.Attachment;
import org.isolatedpg.core.internal.source.TemplateSource;
import org.isolatedpg.core.internal.sql.SqlStates;
import org.isolatedpg.core.internal.template.TemplateBuilder.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates of one attachment: finds a template or builds it, under this JVM's build lock and the server's, marks
 * it in use while a pool uses it, builds it again when it is found gone, and records its last use.
 *
 * <p>A template is marked in use (a shared advisory lock) <em>before</em> it is looked for or built, so that no other
 * JVM's collector drops it from under us; within this JVM one pool at a time builds or looks for a fingerprint;
 * across JVMs, {@link TemplateBuilder} serialises builds on the server.
 */
public final class Templates {

    private static final Logger LOG = LoggerFactory.getLogger(Templates.class);

    /** Big migrations may take long, but waiting for another build never lasts forever. */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(10);

    private final Attachment attachment;

    public Templates(Attachment attachment) {
        this.attachment = attachment;
    }

    /**
     * Fingerprints the spec, marks its template in use, and finds it or builds it, its objects owned as
     * {@code privileges} need them. A spec with fixtures gets a child template, built on top of its base's. With
     * {@code incremental}, a template whose migrations add to an older template's is built on top of it.
     */
    public Template prepare(TemplateSpec spec, Privileges privileges, boolean incremental, ClassLoader loader) {
        return prepare(source(spec, privileges, incremental, loader));
    }

    /** Marks the template of {@code source} in use, and finds it or builds it. */
    public Template prepare(Template.Source source) {
        List<String> marked = new ArrayList<>();
        try {
            for (String fingerprint : source.lineage()) {
                attachment.session().use(fingerprint);
                marked.add(fingerprint);
            }
            return build(source);
        } catch (SQLException e) {
            marked.forEach(this::stopUsing);
            throw new ServerFailureException(
                    "Could not mark template " + TemplateBuilder.shortId(source.fingerprint()) + " as in use on "
                            + attachment.server().description() + " (" + SqlStates.describe(e) + ")",
                    e);
        } catch (RuntimeException e) {
            marked.forEach(this::stopUsing);
            throw e;
        }
    }

    private Template.Source source(TemplateSpec spec, Privileges privileges, boolean incremental, ClassLoader loader) {
        TemplateSpec base = spec.withoutFixtures();
        List<TemplateSource> sources = Sources.of(base, loader);
        Template.Source baseSource = new Template.Source(
                base,
                sources,
                Fingerprint.of(sources, loader, attachment.majorVersion(), privileges),
                privileges,
                incremental,
                loader,
                null);
        if (spec.fixtures().isEmpty()) {
            return baseSource;
        }
        TemplateSource fixtures = Sources.fixtures(spec);
        return new Template.Source(
                spec,
                List.of(fixtures),
                Fingerprint.ofChild(baseSource.fingerprint(), fixtures, loader),
                privileges,
                incremental,
                loader,
                baseSource);
    }

    /** Builds the template again after it was found gone or invalid (dropped by hand, by another tool). */
    public Template rebuild(Template gone) {
        Template rebuilt = build(gone.source());
        LOG.warn(
                "isolatedpg [{}] - template {} was gone (dropped while tests ran?); {} it",
                TemplateBuilder.shortId(gone.fingerprint()),
                gone.name(),
                rebuilt.reused() ? "another pool had rebuilt" : "rebuilt");
        return rebuilt;
    }

    /** Records the last use of the template and of those it is built on, and drops this pool's marks on them. */
    public void release(Template template) {
        for (String fingerprint : template.source().lineage()) {
            try {
                attachment.databases().markUsed(TemplateBuilder.templateName(fingerprint));
            } catch (SQLException e) {
                LOG.debug("isolatedpg [{}] - could not record the template's last use", fingerprint, e);
            }
            stopUsing(fingerprint);
        }
    }

    private Template build(Template.Source source) {
        String fingerprint = source.fingerprint();
        ReentrantLock lock = attachment.buildLock(fingerprint);
        try {
            if (!lock.tryLock(BUILD_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ServerFailureException(
                        "Gave up after " + BUILD_WAIT + " waiting for another pool of this JVM to build template "
                                + TemplateBuilder.shortId(fingerprint) + " on "
                                + attachment.server().description(),
                        null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IsolatedPostgresException(
                    "Interrupted while waiting to build template " + TemplateBuilder.shortId(fingerprint), e);
        }
        List<String> borrowed = new ArrayList<>();
        try {
            String builder = attachment.owner() + "_" + attachment.nextDatabaseNumber();
            Template template = new TemplateBuilder(attachment.server(), attachment.databases())
                    .build(source, () -> start(source, borrowed), builder, BUILD_WAIT);
            attachment.databases().markUsed(template.name());
            if (template.builtFrom() != null) {
                LOG.debug(
                        "isolatedpg [{}] - template built incrementally from {} (+{} {}s, {} ms)",
                        TemplateBuilder.shortId(fingerprint),
                        template.builtFrom(),
                        template.migrationsExecuted(),
                        source.sources().get(0).stepNoun(),
                        template.millis());
            }
            return template;
        } catch (SQLException e) {
            throw new ServerFailureException(
                    "Could not record the use of template " + TemplateBuilder.shortId(fingerprint) + " on "
                            + attachment.server().description() + " (" + SqlStates.describe(e) + ")",
                    e);
        } finally {
            borrowed.forEach(this::stopUsing);
            lock.unlock();
        }
    }

    /**
     * What a template that must be built starts from: its parent, built first (fixtures); an older template that holds
     * a prefix of its migrations, marked in use while it is copied ({@code borrowed}), when building incrementally; or
     * an empty database.
     */
    private TemplateBuilder.Start start(Template.Source source, List<String> borrowed) {
        if (source.parent() != null) {
            return new TemplateBuilder.Start(build(source.parent()).name(), null, null);
        }
        Optional<Increments.Chain> chain = Increments.chain(source, attachment.majorVersion());
        if (chain.isEmpty()) {
            return TemplateBuilder.Start.EMPTY;
        }
        String record = chain.get().record();
        if (source.incremental()) {
            try {
                Optional<Increments.Base> base = Increments.base(chain.get(), attachment.databases());
                if (base.isPresent()) {
                    String baseFingerprint = base.get().name().substring("ipg_tpl_".length());
                    attachment.session().use(baseFingerprint);
                    borrowed.add(baseFingerprint);
                    // marked in use, it stays; if it went just before, build from nothing
                    if (attachment.databases().isSealedTemplate(base.get().name())) {
                        return new TemplateBuilder.Start(
                                base.get().name(), TemplateBuilder.shortId(baseFingerprint), record);
                    }
                }
            } catch (SQLException e) {
                LOG.debug("isolatedpg - could not look for a template to build on; building from nothing", e);
            }
        }
        return new TemplateBuilder.Start(null, null, record);
    }

    private void stopUsing(String fingerprint) {
        try {
            attachment.session().stopUsing(fingerprint);
        } catch (SQLException e) {
            LOG.debug("isolatedpg [{}] - could not release the template's use mark", fingerprint, e);
        }
    }
}
