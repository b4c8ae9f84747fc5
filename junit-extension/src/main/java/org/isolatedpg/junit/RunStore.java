package org.isolatedpg.junit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.isolatedpg.core.Configuration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * The store that outlives the run's tests, for the server and the pools.
 *
 * <p>JUnit 5.13 and later have the launcher session's store, which outlives each execution request: Surefire with
 * several forks runs every test class as a request of its own, and the pools and warm clones then serve them all.
 * JUnit 5.12, which Spring Boot 3.5 picks, has no such store: there every request's root store joins one registry of
 * the JVM per server ({@link SharedRegistry}), closed when the last request that joined it ends; a build that runs its classes as
 * requests one after another then prepares its pools again per request (the templates stay on the server; warm clones
 * are lost). The launcher session's store is found by reflection, so that the extension links against either.
 */
final class RunStore {

    /** {@code ExtensionContext.getStore(StoreScope, Namespace)}, or null before JUnit 5.13. */
    private static final Method SCOPED_STORE;

    /** {@code StoreScope.LAUNCHER_SESSION}, or null before JUnit 5.13. */
    private static final Object LAUNCHER_SESSION;

    static {
        Method scopedStore = null;
        Object launcherSession = null;
        try {
            Class<?> scope = Class.forName(ExtensionContext.class.getName() + "$StoreScope");
            launcherSession = Arrays.stream(scope.getEnumConstants())
                    .filter(constant -> ((Enum<?>) constant).name().equals("LAUNCHER_SESSION"))
                    .findFirst()
                    .orElse(null);
            scopedStore = ExtensionContext.class.getMethod("getStore", scope, Namespace.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            // JUnit 5.12 or earlier: the root store serves
        }
        SCOPED_STORE = launcherSession == null ? null : scopedStore;
        LAUNCHER_SESSION = launcherSession;
    }

    private RunStore() {}

    /** The run's registry: in the launcher session's store where JUnit has one, else the JVM's shared one. */
    static PoolRegistry registry(ExtensionContext context, Namespace namespace, Configuration configuration) {
        if (SCOPED_STORE == null) {
            return context.getRoot()
                    .getStore(namespace)
                    .getOrComputeIfAbsent(
                            SharedRegistry.class,
                            key -> SharedRegistry.join(
                                    configuration.serverSettings(), () -> new PoolRegistry(configuration)),
                            SharedRegistry.class)
                    .registry();
        }
        return launcherSessionStore(context, namespace)
                .getOrComputeIfAbsent(PoolRegistry.class, key -> new PoolRegistry(configuration), PoolRegistry.class);
    }

    private static Store launcherSessionStore(ExtensionContext context, Namespace namespace) {
        try {
            return (Store) SCOPED_STORE.invoke(context, LAUNCHER_SESSION, namespace);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("JUnit failed to give the launcher session's store", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("ExtensionContext.getStore(StoreScope, Namespace) is public", e);
        }
    }

    /** Whether this JUnit has a launcher session's store (5.13 and later). */
    static boolean sharedAcrossRequests() {
        return SCOPED_STORE != null;
    }
}
