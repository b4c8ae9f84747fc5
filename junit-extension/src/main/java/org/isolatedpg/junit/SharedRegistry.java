package org.isolatedpg.junit;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.isolatedpg.core.ServerSettings;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Before JUnit 5.13, which has no launcher session's store: one registry per server for the JVM, joined by each
 * execution request that needs it and closed when the last of them ends. Without it every request (each of Surefire's,
 * each run nested in a test) would start pools of its own, each planning the server's connections as if alone.
 * Requests naming another server (another data directory, another URL) get a registry of their own.
 *
 * <p>It is a {@code CloseableResource}, the only closing hook JUnit 5.12's stores have (deprecated since 5.13, where
 * this class is not used).
 */
@SuppressWarnings("deprecation")
final class SharedRegistry implements ExtensionContext.Store.CloseableResource {

    /** A registry and how many requests hold it. */
    private static final class Holders {
        final PoolRegistry registry;
        int requests;

        Holders(PoolRegistry registry) {
            this.registry = registry;
        }
    }

    private static final Map<ServerSettings, Holders> REGISTRIES = new HashMap<>();

    private final ServerSettings server;
    private final PoolRegistry registry;

    private SharedRegistry(ServerSettings server, PoolRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /** Joins the JVM's registry for the server, making it with {@code factory} if no request holds one. */
    static SharedRegistry join(ServerSettings server, Supplier<PoolRegistry> factory) {
        synchronized (REGISTRIES) {
            Holders holders = REGISTRIES.computeIfAbsent(server, key -> new Holders(factory.get()));
            holders.requests++;
            return new SharedRegistry(server, holders.registry);
        }
    }

    PoolRegistry registry() {
        return registry;
    }

    /** Leaves the registry; the last request to leave closes it (its pools, then the server). */
    @Override
    public void close() {
        boolean last;
        synchronized (REGISTRIES) {
            Holders holders = REGISTRIES.get(server);
            last = --holders.requests == 0;
            if (last) {
                REGISTRIES.remove(server);
            }
        }
        if (last) {
            registry.close();
        }
    }
}
