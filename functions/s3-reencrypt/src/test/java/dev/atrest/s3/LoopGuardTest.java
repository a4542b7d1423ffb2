package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoopGuardTest {
    @ParameterizedTest(name = "[{index}] {0} / {1} -> {2}")
    @CsvSource({
        "AWS:AROAOURROLEID12345:S3ReencryptFunction,       AROAOURROLEID12345, true",
        // Lambda names the session after the function, but any session of our role is ours (only Lambda assumes it).
        "AWS:AROAOURROLEID12345:stack-S3Reencrypt-AbC,     AROAOURROLEID12345, true",
        // Anyone may name a session S3ReencryptFunction: another role's session is not ours.
        "AWS:AROAOTHERROLE12345:S3ReencryptFunction,       AROAOURROLEID12345, false",
        "AWS:AIDAUSERID12345678:S3ReencryptFunction,       AROAOURROLEID12345, false",
        // A role whose id merely starts like ours is another role.
        "AWS:AROAOURROLEID123456:S3ReencryptFunction,      AROAOURROLEID12345, false",
        "AWS:AROAOURROLEID12345,                           AROAOURROLEID12345, false",
        "AROAOURROLEID12345:S3ReencryptFunction,           AROAOURROLEID12345, false",
        "S3ReencryptFunction,                              AROAOURROLEID12345, false",
        "A3NL1KOZZKExample,                                AROAOURROLEID12345, false",
        ",                                                 AROAOURROLEID12345, false",
        "AWS:AROAOURROLEID12345:S3ReencryptFunction,       ,                   false",
    })
    void recognisesOnlySessionsOfOurOwnRole(String principal, String roleId, boolean expected) {
        assertThat(LoopGuard.selfCaused(principal, roleId)).isEqualTo(expected);
    }
}
