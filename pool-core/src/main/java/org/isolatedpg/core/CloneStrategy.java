package org.isolatedpg.core;

/**
 * How PostgreSQL copies the template into a clone ({@code CREATE DATABASE … STRATEGY}).
 *
 * @since 0.1
 */
public enum CloneStrategy {
    /** Copies the template's files. Fast on an idle server, but forces a checkpoint before and after the copy. */
    FILE_COPY,
    /** Copies block by block through the WAL; needs no checkpoint, but writes every block twice. */
    WAL_LOG
}
