package org.isolatedpg.server.internal.engine;

/** A request the engine answers with an error of a kind each client knows (IntegreSQL's status codes). */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The kinds of refusal, each one status code. */
    public enum Kind {
        BAD_REQUEST(400),
        UNAUTHORIZED(401),
        NOT_FOUND(404),
        GONE(410),
        LOCKED(423),
        FAILED(500),
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final transient Object state;

    public ApiException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    /**
     * @param state what the client should see of the pool beside the message (a map), or null
     */
    public ApiException(Kind kind, String message, Object state, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.state = state;
    }

    public Kind kind() {
        return kind;
    }

    /** The pool's state when the request failed, or null. */
    public Object state() {
        return state;
    }
}
