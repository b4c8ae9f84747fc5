package org.isolatedpg.junit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * The store that outlives the run's tests, for the server and the pools.
 *
 * <p>JUnit 5.13 and later have the launcher session's store, which outlives each execution request: Surefire with
 * several forks runs every test class as a request of its own, and the pools and warm clones then serve them all.
 * JUnit 5.12, which Spring Boot 3.5 picks, has no such store: there the root context's store serves, which lasts one
 * request, so a build that runs each class as a request of its own prepares its pools again per class (the server and
 * the templates stay shared; only warm clones are lost). The launcher session's store is found by reflection, so that
 * the extension links against either. Our own suite does not pass on JUnit 5.12 yet: its runs nested in a run
 * (EngineTestKit), each a request of its own, fail there; making 5.12 work is part of the Spring Boot work.
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

    /** The launcher session's store where JUnit has one, else the root context's. */
    static Store of(ExtensionContext context, Namespace namespace) {
        if (SCOPED_STORE == null) {
            return context.getRoot().getStore(namespace);
        }
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
