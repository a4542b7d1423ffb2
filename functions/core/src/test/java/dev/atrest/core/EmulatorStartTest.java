package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.testing.Emulator;
import org.junit.jupiter.api.Test;

class EmulatorStartTest {
    @Test
    void aBrokenPythonFailsTheTestInsteadOfSkippingIt() {
        String saved = System.getProperty("atrest.python");
        try {
            // /bin/false exists and is executable, so it is used and exits at once.
            System.setProperty("atrest.python", "/bin/false");
            assertThatThrownBy(Emulator::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 1");
        } finally {
            if (saved == null) {
                System.clearProperty("atrest.python");
            } else {
                System.setProperty("atrest.python", saved);
            }
        }
    }
}
