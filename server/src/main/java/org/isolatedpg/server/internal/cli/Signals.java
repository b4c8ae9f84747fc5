package org.isolatedpg.server.internal.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Runs an action on SIGINT and SIGTERM before the JVM's shutdown begins, through {@code sun.misc.Signal} (module
 * jdk.unsupported, in every JDK since 9), reached by reflection so that compiling needs no proprietary API. In a
 * shutdown hook the action would race the embedded PostgreSQL's own hook, which stops it when a JVM exits without
 * closing. Where the class is missing, nothing is installed and the caller's shutdown hook does the work.
 */
final class Signals {

    private Signals() {}

    /** Installs {@code action} for SIGINT and SIGTERM; false where signals cannot be handled. */
    static boolean onInterruptOrTerminate(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            InvocationHandler calls = (proxy, method, args) -> invoke(proxy, method, args, action);
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handler}, calls);
            Method handle = signal.getMethod("handle", signal, handler);
            for (String name : new String[] {"INT", "TERM"}) {
                handle.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Object invoke(Object proxy, Method method, Object[] args, Runnable action) {
        switch (method.getName()) {
            case "handle" -> action.run();
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "toString" -> {
                return "isolatedpg-server-signals";
            }
            default -> {
                // no other method on SignalHandler
            }
        }
        return null;
    }
}
