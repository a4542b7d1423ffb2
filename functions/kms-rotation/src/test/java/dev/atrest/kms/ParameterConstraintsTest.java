package dev.atrest.kms;

import dev.atrest.core.config.ConfigLoader;
import dev.atrest.testing.ParameterContract;
import dev.atrest.testing.TemplateParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration accepts exactly what the template's parameters accept (one source of constraints). */
class ParameterConstraintsTest {

    @Test
    void configurationAcceptsExactlyWhatTheTemplateAccepts() {
        Map<String, String> base = new java.util.HashMap<>(TemplateParameters.load().defaults("KmsRotationFunction"));
        // The cross-field rule (MAX_ROTATION_PERIOD_DAYS >= ROTATION_PERIOD_DAYS) is code-only and tested in
        // RotationConfigTest; this base keeps it satisfied whichever single value is tried.
        base.put("ROTATION_PERIOD_DAYS", "90");
        base.put("MAX_ROTATION_PERIOD_DAYS", "2560");
        // POWERTOOLS_LOG_LEVEL is read by Powertools, not by atrest's configuration.
        ParameterContract.assertSameAsTemplate("KmsRotationFunction", base, env -> RotationConfig.load(new ConfigLoader(env)),
                List.of("POWERTOOLS_LOG_LEVEL"));
    }
}
