package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopGuardTest {
    @ParameterizedTest(name = "[{index}] {0} / {1} -> {2}")
    @CsvSource({
        "AWS:AROAEXAMPLEROLEID:S3ReencryptFunction,           S3ReencryptFunction, true",
        "AWS:AROAEXAMPLEROLEID:stack-S3ReencryptFunction-AbC, stack-S3ReencryptFunction-AbC, true",
        "AWS:AROAEXAMPLEROLEID:alice,                         S3ReencryptFunction, false",
        // A function whose name merely ends like ours is someone else.
        "AWS:AROAEXAMPLEROLEID:MyS3ReencryptFunction,         S3ReencryptFunction, false",
        "S3ReencryptFunction,                                 S3ReencryptFunction, false",
        "A3NL1KOZZKExample,                                   S3ReencryptFunction, false",
        ",                                                    S3ReencryptFunction, false",
        "AWS:AROAEXAMPLEROLEID:S3ReencryptFunction,           ,                    false",
    })
    void recognisesOnlyOurOwnRoleSession(String principal, String functionName, boolean expected) {
        assertThat(LoopGuard.selfCaused(principal, functionName)).isEqualTo(expected);
    }
}
