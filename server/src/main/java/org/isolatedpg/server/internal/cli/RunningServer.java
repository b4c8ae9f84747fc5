package org.isolatedpg.server.internal.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import org.isolatedpg.server.internal.config.ServeSettings;
import org.isolatedpg.server.internal.engine.Engine;
import org.isolatedpg.server.internal.http.HttpApi;

/** The engine and the HTTP API in front of it, started together and closed in reverse. */
public final class RunningServer implements AutoCloseable {

    private final Engine engine;
    private final HttpApi http;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private RunningServer(Engine engine, HttpApi http) {
        this.engine = engine;
        this.http = http;
    }

    /**
     * Starts PostgreSQL (or attaches to it), then listens.
     *
     * @throws UncheckedIOException when the address cannot be bound (the port is taken)
     */
    public static RunningServer start(ServeSettings settings) {
        Engine engine = Engine.start(settings.server(), settings.engine());
        try {
            return new RunningServer(engine, HttpApi.start(settings.address(), engine, settings.token()));
        } catch (IOException e) {
            engine.close();
            throw new UncheckedIOException(
                    "Could not listen on " + settings.address() + " (" + e.getMessage() + "): another program has"
                            + " the port? Set INTEGRESQL_PORT to a free one.",
                    e);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** Where it listens: {@code http://127.0.0.1:5000}. */
    public String url() {
        InetSocketAddress address = http.address();
        String host = address.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    public String description() {
        return engine.description();
    }

    /** Stops listening, drops every test database, keeps the templates, and leaves PostgreSQL. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.close();
        engine.close();
    }
}
