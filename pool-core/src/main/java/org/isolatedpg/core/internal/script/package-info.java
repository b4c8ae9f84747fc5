/**
 * Plain SQL scripts as a template source: hand-written files, {@code pg_dump -Fp} dumps and the scripts that run
 * after them, split as psql splits them and run over JDBC. The one package that uses pgjdbc's own API (its COPY API,
 * for the data of a dump).
 */
package org.isolatedpg.core.internal.script;
