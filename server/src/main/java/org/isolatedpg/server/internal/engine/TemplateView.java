package org.isolatedpg.server.internal.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A template as listed: the client's hash, its database, whether test databases can be had, its size, when it was
 * built and last used (null when unknown), and its test databases by state (empty while no pool serves it).
 */
public record TemplateView(
        String hash,
        String database,
        String state,
        Long sizeBytes,
        Instant created,
        Instant lastUsed,
        Map<String, Object> tests) {

    TemplateView with(Map<String, Object> testsNow) {
        return new TemplateView(hash, database, state, sizeBytes, created, lastUsed, testsNow);
    }
}
