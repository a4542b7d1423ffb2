package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real-world key policy shapes, open and not, and the ones that look one way and are the other. */
class KeyPolicyExposureTest {
    static final String ACCOUNT = "111122223333";

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Id\":\"key-policy\",\"Statement\":[" + String.join(",", statements)
                + "]}";
    }

    static final String DEFAULT_KEY_POLICY = "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}";

    static Stream<Arguments> shapes() {
        return Stream.of(
                // -------- not open
                Arguments.of("the default key policy", policy(DEFAULT_KEY_POLICY), List.of()),
                Arguments.of("key administrators and users by role ARN", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"Allow use of the key\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":["
                                + "\"arn:aws:iam::" + ACCOUNT + ":role/app\",\"arn:aws:iam::444455556666:root\"]},"
                                + "\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey*\"],\"Resource\":\"*\"}"),
                        List.of()),
                Arguments.of("AWS managed key policy (Principal * with kms:CallerAccount and kms:ViaService)",
                        policy("{\"Sid\":\"Allow access through EBS for all principals in the account\","
                                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Encrypt\","
                                + "\"kms:Decrypt\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:CreateGrant\","
                                + "\"kms:DescribeKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
                                + "\"kms:CallerAccount\":\"" + ACCOUNT + "\",\"kms:ViaService\":"
                                + "\"ec2.us-east-1.amazonaws.com\"}}}"), List.of()),
                Arguments.of("S3 service principal limited by aws:SourceAccount", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"AllowS3\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"s3.amazonaws.com\"},"
                                + "\"Action\":[\"kms:GenerateDataKey\",\"kms:Decrypt\"],\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"" + ACCOUNT + "\"}}}"),
                        List.of()),
                Arguments.of("CloudTrail's documented key policy", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"Allow CloudTrail to encrypt logs\",\"Effect\":\"Allow\",\"Principal\":{"
                                + "\"Service\":\"cloudtrail.amazonaws.com\"},\"Action\":\"kms:GenerateDataKey*\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:SourceArn\":"
                                + "\"arn:aws:cloudtrail:us-east-1:" + ACCOUNT + ":trail/main\"},\"StringLike\":{"
                                + "\"kms:EncryptionContext:aws:cloudtrail:arn\":\"arn:aws:cloudtrail:*:" + ACCOUNT
                                + ":trail/*\"}}}",
                        "{\"Sid\":\"Enable CloudTrail log decrypt permissions\",\"Effect\":\"Allow\",\"Principal\":{"
                                + "\"AWS\":\"*\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{"
                                + "\"Null\":{\"kms:EncryptionContext:aws:cloudtrail:arn\":\"false\"},"
                                + "\"StringEquals\":{\"kms:CallerAccount\":\"" + ACCOUNT + "\"}}}",
                        "{\"Sid\":\"Allow principals in the account to describe\",\"Effect\":\"Allow\","
                                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:DescribeKey\",\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":\"" + ACCOUNT + "\"}}}"),
                        List.of()),
                Arguments.of("Principal * limited to the organisation", policy(
                        "{\"Sid\":\"Org\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":"
                                + "\"o-a1b2c3d4e5\"}}}"), List.of()),
                Arguments.of("Principal * limited by an ARN pattern of one account", policy(
                        "{\"Sid\":\"Roles\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\","
                                + "\"Resource\":\"*\",\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":"
                                + "\"arn:aws:iam::" + ACCOUNT + ":role/app-*\"}}}"), List.of()),
                Arguments.of("Principal * limited to organisation paths below one organisation", policy(
                        "{\"Sid\":\"OU\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"ForAnyValue:StringLike\":{"
                                + "\"aws:PrincipalOrgPaths\":\"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*\"}}}"),
                        List.of()),
                Arguments.of("Deny to everyone is not an allow", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"kms:*\","
                                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}"),
                        List.of()),
                Arguments.of("a single statement object instead of a list", "{\"Statement\":" + DEFAULT_KEY_POLICY
                        + "}", List.of()),

                // -------- open
                Arguments.of("Principal * without a condition", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"Public\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\"}"), List.of("Public")),
                Arguments.of("{\"AWS\": \"*\"} without a Sid", policy(
                        "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:*\","
                                + "\"Resource\":\"*\"}"), List.of("#1")),
                Arguments.of("{\"AWS\": [\"*\"]} among named principals", policy(DEFAULT_KEY_POLICY,
                        "{\"Sid\":\"Mixed\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::" + ACCOUNT
                                + ":root\",\"*\"]},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}"),
                        List.of("Mixed")),
                Arguments.of("only kms:ViaService: any account can call through S3", policy(
                        "{\"Sid\":\"ViaS3\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":"
                                + "\"kms:Decrypt\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
                                + "\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}"), List.of("ViaS3")),
                Arguments.of("aws:SecureTransport restricts no one", policy(
                        "{\"Sid\":\"Tls\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}"),
                        List.of("Tls")),
                Arguments.of("IfExists: met by a request without the key", policy(
                        "{\"Sid\":\"IfExists\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringEqualsIfExists\":{"
                                + "\"kms:CallerAccount\":\"" + ACCOUNT + "\"}}}"), List.of("IfExists")),
                Arguments.of("ForAllValues: met by an empty set", policy(
                        "{\"Sid\":\"ForAll\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"ForAllValues:StringEquals\":{"
                                + "\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}"), List.of("ForAll")),
                Arguments.of("a negated operator lets every other account in", policy(
                        "{\"Sid\":\"NotEquals\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":{"
                                + "\"aws:PrincipalAccount\":\"999999999999\"}}}"), List.of("NotEquals")),
                Arguments.of("a wildcard account in StringLike", policy(
                        "{\"Sid\":\"AnyAccount\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:PrincipalAccount\":\"*\"}}}"),
                        List.of("AnyAccount")),
                Arguments.of("an ARN pattern with any account", policy(
                        "{\"Sid\":\"AnyAdmin\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":"
                                + "\"arn:aws:iam::*:role/admin\"}}}"), List.of("AnyAdmin")),
                Arguments.of("a policy variable matches every caller", policy(
                        "{\"Sid\":\"Variable\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"kms:CallerAccount\":"
                                + "\"${aws:PrincipalAccount}\"}}}"), List.of("Variable")),
                Arguments.of("a wildcard account in the principal", policy(
                        "{\"Sid\":\"StarRoot\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::*:root\"},"
                                + "\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"), List.of("StarRoot")),
                Arguments.of("NotPrincipal with Allow", policy(
                        "{\"Sid\":\"AllBut\",\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                                + ":role/x\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}"), List.of("AllBut")),
                Arguments.of("two open statements", policy(
                        "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"kms:Decrypt\","
                                + "\"Resource\":\"*\"}",
                        "{\"Sid\":\"B\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:Encrypt\","
                                + "\"Resource\":\"*\"}"), List.of("A", "B")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void judgesRealWorldPolicyShapes(String shape, String policy, List<String> open) {
        assertThat(KeyPolicyExposure.openStatements(policy)).extracting(KeyPolicyExposure.OpenStatement::statement)
                .as(shape).containsExactlyElementsOf(open);
    }

    @Test
    void anOpenStatementSaysWhatItAllowsAndWhy() {
        KeyPolicyExposure.OpenStatement s = KeyPolicyExposure.openStatements(policy(
                "{\"Sid\":\"ViaS3\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"kms:Decrypt\","
                        + "\"kms:GenerateDataKey\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
                        + "\"kms:ViaService\":\"s3.us-east-1.amazonaws.com\"}}}")).get(0);
        assertThat(s.actions()).isEqualTo("kms:Decrypt,kms:GenerateDataKey");
        assertThat(s.why()).isEqualTo("Principal {\"AWS\": \"*\"} with no condition limiting it to an account or "
                + "organisation");
    }

    @Test
    void textThatIsNoPolicyIsNotPassed() {
        assertThatThrownBy(() -> KeyPolicyExposure.openStatements("not json")).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyPolicyExposure.openStatements("{\"Version\":\"2012-10-17\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no Statement");
    }
}
