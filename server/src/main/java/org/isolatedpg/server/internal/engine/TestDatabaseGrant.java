package org.isolatedpg.server.internal.engine;

/** A test database handed to a client: its id within the template's hash, and how to connect to it. */
public record TestDatabaseGrant(int id, String templateHash, DatabaseConfig config) {}
