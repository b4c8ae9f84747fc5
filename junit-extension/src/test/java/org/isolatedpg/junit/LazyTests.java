package org.isolatedpg.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.isolatedpg.core.IsolatedPostgresException;
import org.isolatedpg.core.TemplateBuildException;
import org.junit.jupiter.api.Test;

class LazyTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void remembersABrokenTemplateWithoutComputingAgain() {
        AtomicInteger calls = new AtomicInteger();
        TemplateBuildException broken = new TemplateBuildException("migration V2 failed", new RuntimeException());
        Lazy<String> lazy = new Lazy<>("the template", () -> {
            calls.incrementAndGet();
            throw broken;
        });

        assertThatThrownBy(() -> lazy.get(TIMEOUT)).isSameAs(broken);
        assertThatThrownBy(() -> lazy.get(TIMEOUT)).isSameAs(broken);
        assertThat(calls).hasValue(1);
    }

    @Test
    void triesAgainAfterAFailureThatMayPass() {
        AtomicInteger calls = new AtomicInteger();
        Lazy<String> lazy = new Lazy<>("the server", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IsolatedPostgresException("Could not connect: the server is starting up");
            }
            return "server";
        });

        assertThatThrownBy(() -> lazy.get(TIMEOUT)).hasMessage("Could not connect: the server is starting up");
        assertThat(lazy.get(TIMEOUT)).isEqualTo("server");
        assertThat(lazy.getIfReady()).isEqualTo("server");
        assertThat(calls).hasValue(2);
    }
}
