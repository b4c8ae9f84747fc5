package org.isolatedpg.core.internal.pool;

import javax.sql.DataSource;

/** A clone and its warm connection pool. */
record ReadyClone(String name, DataSource dataSource) {}
