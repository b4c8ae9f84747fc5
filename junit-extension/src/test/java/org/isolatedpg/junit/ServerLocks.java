package org.isolatedpg.junit;

/**
 * The advisory locks by which JVMs tell each other they are alive, as a test sees them from outside. They are a
 * protocol between JVMs that may run different versions of isolated-postgres, so their numbers never change, and a
 * test may rely on them as any other JVM does (the extension itself never reaches into pool-core's internals).
 */
final class ServerLocks {

    /** Held by each attachment for its whole life. */
    static final long OWNERS = 0x49504701L;
    /** Held shared by each pool on its template; the collector needs it exclusively. */
    static final long TEMPLATE_USERS = 0x49504702L;

    private ServerLocks() {}

    /** The second key of a template's lock: the first 31 bits of its fingerprint. */
    static int key(String fingerprint) {
        return (int) (Long.parseLong(fingerprint.substring(0, 8), 16) & 0x7fffffff);
    }
}
