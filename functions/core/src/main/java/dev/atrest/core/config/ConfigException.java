package dev.atrest.core.config;

/** Thrown at init when the function's environment is missing or malformed; the message names every bad variable. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
