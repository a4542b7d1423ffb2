package dev.atrest.core.json;

/**
 * The event cannot be understood at all (not JSON, unknown shape). Thrown before any AWS call, so a handler that
 * fails with it has written nothing; retrying the same event cannot help.
 */
public final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
