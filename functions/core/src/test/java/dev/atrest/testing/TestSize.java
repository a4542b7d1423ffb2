package dev.atrest.testing;

/**
 * How big the race, storm and chaos tests run. {@code make test} runs them at the size that proves their rule with
 * deterministic cases among the random ones; {@code make test-full} (-Datrest.fullSize=true) at the size that also
 * measures rates over many interleavings. Each test states both sizes and what each proves.
 */
public final class TestSize {
    private TestSize() {}

    public static boolean full() {
        return Boolean.getBoolean("atrest.fullSize");
    }

    /** {@code small} in make test, {@code full} in make test-full. */
    public static int of(int small, int full) {
        return full() ? full : small;
    }
}
