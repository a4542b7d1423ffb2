package dev.atrest.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: starts one emulator per test JVM (on first use), points the SDK at it through the standard
 * {@code aws.endpointUrl} setting, resets its state before every test and stops it when the JVM's tests end.
 * A test that needs it and cannot get it fails: the start error propagates.
 *
 * <p>Use with {@code @ExtendWith(EmulatorExtension.class)} and take an {@link Emulator} parameter.
 */
public final class EmulatorExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmulatorExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        emulator(context).reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Emulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return emulator(extensionContext);
    }

    private static Emulator emulator(ExtensionContext context) {
        Running running = context.getRoot().getStore(NS).getOrComputeIfAbsent(Running.class, k -> {
            Emulator emulator = Emulator.start();
            System.setProperty("aws.endpointUrl", emulator.endpoint().toString());
            System.setProperty("aws.region", System.getProperty("aws.region", "us-east-1"));
            System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "testing"));
            System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "testing"));
            return new Running(emulator);
        }, Running.class);
        return running.emulator;
    }

    /** Stored in the root context so JUnit closes it once, after the last test of the JVM. */
    private record Running(Emulator emulator) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            emulator.close();
        }
    }
}
