package dev.atrest.audit.check;

import static dev.atrest.audit.check.Evaluations.ACCOUNT;
import static dev.atrest.audit.check.Evaluations.context;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EbsDefaultEncryptionCheckTest {
    private final EbsDefaultEncryptionCheck check = new EbsDefaultEncryptionCheck(null);

    @ParameterizedTest(name = "ebs default on={0} key={1} manager={2} requireCmk={3} -> {4}")
    @CsvSource({
        "false, alias/aws/ebs, ,         false, FAILED, EBS encryption by default is off",
        "false, arn:k,         CUSTOMER, true,  FAILED, EBS encryption by default is off",
        "true,  alias/aws/ebs, ,         false, PASSED, EBS encryption by default is on",
        "true,  alias/aws/ebs, AWS,      true,  FAILED, EBS encryption by default uses the AWS managed key alias/aws/ebs",
        "true,  arn:k,         UNKNOWN,  true,  FAILED, 'EBS encryption by default uses arn:k, which could not be verified as customer managed'",
        "true,  arn:k,         ,         true,  FAILED, 'EBS encryption by default uses arn:k, which could not be verified as customer managed'",
        "true,  arn:k,         CUSTOMER, true,  PASSED, EBS encryption by default is on with a customer managed key",
        "true,  arn:k,         AWS,      false, PASSED, EBS encryption by default is on",
    })
    void ebsDefaults(boolean on, String key, KeyManager manager, boolean requireCmk, ComplianceStatus status,
            String reason) {
        RunContext context = context(requireCmk);
        Finding f = check.evaluate(new EbsDefaultsState("eu-west-1", context.accountResource(), on, key, manager),
                context);

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.controlId()).isEqualTo("EC2.7");
        assertThat(f.resourceType()).isEqualTo("AwsAccount");
        assertThat(f.id()).isEqualTo("atrest/ebs-default-encryption/eu-west-1/AWS::::Account:" + ACCOUNT);
        assertThat(f.details()).containsEntry("encryptionByDefault", Boolean.toString(on))
                .containsEntry("defaultKmsKeyId", key);
        assertThat(f.resourceTags()).isEmpty();
    }
}
