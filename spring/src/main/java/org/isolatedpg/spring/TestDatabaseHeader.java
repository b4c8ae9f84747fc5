package org.isolatedpg.spring;

/** The HTTP header that ties a request to the embedded web server to the database of the test that sent it. */
final class TestDatabaseHeader {

    /** The header's name; its value is the test database's name. */
    static final String NAME = "Isolatedpg-Test-Database";

    private TestDatabaseHeader() {}
}
