package org.isolatedpg.core.internal.pool;

import javax.sql.DataSource;

/** A clone and its connection pool; a warm one holds an open connection, and a permit of the budget for it. */
record ReadyClone(String name, DataSource dataSource, boolean warm) {}
