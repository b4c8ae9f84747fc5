package org.isolatedpg.core.internal.sql;

import java.util.regex.Pattern;

/**
 * The one place SQL identifiers are checked and quoted. Every name isolated-postgres creates is lower-case ASCII,
 * starts with a letter and fits PostgreSQL's 63 bytes, so no name is ever truncated, case-folded or able to carry SQL.
 */
public final class Identifiers {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private Identifiers() {}

    /** Returns the name if it is one we may create, or throws. */
    public static String requireValid(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a valid isolated-postgres database name: [" + name + "]");
        }
        return name;
    }

    /** The name, checked and double-quoted for use in DDL. */
    public static String quote(String name) {
        return '"' + requireValid(name) + '"';
    }
}
