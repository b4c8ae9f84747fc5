package org.isolatedpg.core.internal.initializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import org.isolatedpg.core.ConfigKeys;
import org.isolatedpg.core.InvalidConfigurationException;
import org.isolatedpg.core.TemplateInitializer;
import org.isolatedpg.core.internal.source.BuildTarget;
import org.isolatedpg.core.internal.source.FingerprintInputs;
import org.isolatedpg.core.internal.source.SourceFailedException;
import org.isolatedpg.core.internal.source.TemplateSource;

/**
 * A {@link TemplateInitializer}: Java code run last against the template database. Its fingerprint is the class's
 * bytes and its {@link TemplateInitializer#version()}; the class is loaded by the pool's class loader, so a test
 * class's own initializer is found.
 */
public final class InitializerSource implements TemplateSource {

    private final String className;
    private final String origin;

    /**
     * @param className the initializer's fully qualified class name
     * @param origin where it was named, for messages
     */
    public InitializerSource(String className, String origin) {
        this.className = className;
        this.origin = origin;
    }

    @Override
    public String description() {
        return "initializer " + className + " (from " + origin + ")";
    }

    @Override
    public String stepNoun() {
        return "initializer";
    }

    @Override
    public void fingerprint(FingerprintInputs inputs, ClassLoader loader) {
        TemplateInitializer initializer = instantiate(loader);
        String resource = className.replace('.', '/') + ".class";
        try (InputStream bytes = initializer.getClass().getClassLoader().getResourceAsStream(resource)) {
            if (bytes == null) {
                throw new IllegalStateException("The bytes of " + className + " are not on its class loader");
            }
            inputs.text("initializer " + className + " version " + initializer.version());
            inputs.file(resource, bytes.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the bytes of " + className, e);
        }
    }

    @Override
    public int apply(BuildTarget target) {
        TemplateInitializer initializer = instantiate(target.loader());
        BuildDataSource dataSource = new BuildDataSource(target);
        try {
            initializer.initialize(dataSource);
        } catch (Exception e) {
            dataSource.closeLeftOpen();
            throw new SourceFailedException("initializer " + className, e);
        }
        int leftOpen = dataSource.closeLeftOpen();
        if (leftOpen > 0) {
            throw new SourceFailedException(
                    "initializer " + className,
                    new IllegalStateException(className + " left " + leftOpen + " connection(s) open. Close every"
                            + " connection it takes (try-with-resources), and any pool or SessionFactory it builds on"
                            + " the DataSource, before initialize returns: the template cannot be sealed while"
                            + " connected to."));
        }
        return 1;
    }

    private TemplateInitializer instantiate(ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw refused("is not on the test classpath", e);
        }
        if (!TemplateInitializer.class.isAssignableFrom(type)) {
            throw refused("does not implement " + TemplateInitializer.class.getName(), null);
        }
        try {
            return (TemplateInitializer) type.getConstructor().newInstance();
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw refused("has no public no-argument constructor (a nested class must be public and static)", e);
        } catch (InstantiationException e) {
            throw refused("cannot be instantiated (is it abstract?)", e);
        } catch (InvocationTargetException e) {
            throw refused("threw from its constructor: " + e.getCause(), e.getCause());
        }
    }

    private InvalidConfigurationException refused(String reason, Throwable cause) {
        return new InvalidConfigurationException(
                "The template initializer '" + className + "' (from " + origin + ") " + reason + ". Check '"
                        + ConfigKeys.INITIALIZER + "' or @IsolatedPostgres(initializer).",
                cause);
    }
}
