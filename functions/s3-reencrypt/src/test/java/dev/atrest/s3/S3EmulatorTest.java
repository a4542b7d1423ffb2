package dev.atrest.s3;

import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test of the function against the emulator, with a fresh {@link S3Fixture} (bucket, key, clients) per test. */
@ExtendWith(EmulatorExtension.class)
abstract class S3EmulatorTest {
    protected S3Fixture f;

    @BeforeEach
    void openFixture(Emulator emulator) {
        f = new S3Fixture(emulator);
    }

    @AfterEach
    void closeFixture() {
        f.close();
    }
}
