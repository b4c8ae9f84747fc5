package org.isolatedpg.examples.spring;

/** Something a request names does not exist: answered with 404. */
public class NotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String what, Object key) {
        super(what + " " + key + " does not exist");
    }
}
