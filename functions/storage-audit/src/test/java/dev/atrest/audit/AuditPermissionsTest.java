package dev.atrest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.audit.check.AuditCheck;
import dev.atrest.audit.check.Permission;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege for the audit, from the checks: the IAM actions template.yaml grants StorageAuditFunction are
 * exactly those its registered checks and the function itself declare ({@link AuditPermissions}), each group under
 * the condition of the setting that turns it on (tagging only if TaggingOn, remediation only if EbsRemediationOn,
 * the sinks only when configured). The Python least-privilege test scans the other functions' sources for SDK calls;
 * for the audit it relies on this test. {@code CheckPermissionsEmulatorTest} shows each check needs exactly what it
 * declares.
 */
class AuditPermissionsTest {
    static final String FUNCTION = "StorageAuditFunction";
    static final CfnTemplate TEMPLATE = CfnTemplate.read(
            Path.of(System.getProperty("atrest.projectDir", "../.."), "template.yaml"));

    /** The declared actions keyed like the template's: by the condition each setting's statements sit under. */
    static Map<String, Set<String>> declaredByCondition(List<Permission> permissions) {
        Map<String, Set<String>> out = new TreeMap<>();
        AuditPermissions.bySetting(permissions).forEach((setting, actions) -> out.computeIfAbsent(
                setting.map(s -> TEMPLATE.conditionOf(FUNCTION, s)).orElse(CfnTemplate.ALWAYS),
                c -> new TreeSet<>()).addAll(actions));
        return out;
    }

    @Test
    void theTemplateGrantsExactlyWhatTheChecksAndTheFunctionDeclareUnderTheirSettingsConditions() {
        Map<String, Set<String>> granted = TEMPLATE.actionsByCondition(FUNCTION);
        Map<String, Set<String>> declared = declaredByCondition(AuditPermissions.of(AuditFixture.CHECKS));

        assertThat(granted).isEqualTo(declared);
        // The conditions the audit's writes depend on, as the template names them.
        assertThat(granted.keySet()).containsExactlyInAnyOrder(CfnTemplate.ALWAYS, "TaggingOn", "EbsRemediationOn",
                "SecurityHubOn", "HasFindingsTopic", "SseCBlockingOn", "HasReportLocation");
        assertThat(granted.get("SseCBlockingOn")).containsExactly("s3:PutEncryptionConfiguration");
        assertThat(granted.get("HasReportLocation")).containsExactlyInAnyOrder("s3:PutObject", "kms:GenerateDataKey");
        assertThat(granted.get("TaggingOn")).containsExactlyInAnyOrder("ec2:CreateTags", "ec2:DeleteTags",
                "elasticfilesystem:TagResource", "elasticfilesystem:UntagResource");
        assertThat(granted.get("EbsRemediationOn")).containsExactlyInAnyOrder("ec2:EnableEbsEncryptionByDefault",
                "ec2:ModifyEbsDefaultKmsKeyId");
    }

    @Test
    void everyActionOfTheTemplateIsDeclaredByAtLeastOneCheckOrTheFunction() {
        Map<String, Set<String>> byCheck = new TreeMap<>();
        for (AuditCheck<?, ?> check : AuditFixture.CHECKS.checks()) {
            check.permissions().forEach(p -> p.actions().forEach(a ->
                    byCheck.computeIfAbsent(a, k -> new TreeSet<>()).add(check.id())));
        }
        AuditPermissions.FUNCTION.forEach(p -> p.actions().forEach(a ->
                byCheck.computeIfAbsent(a, k -> new TreeSet<>()).add("(function)")));
        TEMPLATE.actionsByCondition(FUNCTION).values().forEach(actions -> assertThat(byCheck.keySet())
                .containsAll(actions));
        // Reads shared by two checks are declared by both: removing either check keeps the other's grant.
        assertThat(byCheck.get("kms:DescribeKey")).containsExactlyInAnyOrder("ebs-volume-encrypted",
                "ebs-snapshot-encrypted", "ebs-default-encryption", "efs-encrypted", "s3-bucket-default-kms",
                "fsx-file-system-key", "fsx-backup-key", "kms-custom-key-store-connected", "kms-key-policy-not-public",
                "kms-key-protects-data");
        assertThat(byCheck.get("ec2:CreateTags")).containsExactlyInAnyOrder("ebs-volume-encrypted",
                "ebs-snapshot-encrypted");
    }

    /** The comparison can fail: a check that forgot an action, or declared it under the wrong setting. */
    @Test
    void aMissingOrMisplacedDeclarationIsSeen() {
        List<Permission> declared = AuditPermissions.of(AuditFixture.CHECKS);
        Map<String, Set<String>> granted = TEMPLATE.actionsByCondition(FUNCTION);

        List<Permission> withoutTagging = declared.stream()
                .filter(p -> !AuditConfig.TAG_RESOURCES.equals(p.enabledBy())).toList();
        assertThat(declaredByCondition(withoutTagging)).isNotEqualTo(granted);

        List<Permission> remediationAlways = declared.stream().map(p -> AuditConfig.ENABLE_EBS_DEFAULT_ENCRYPTION
                .equals(p.enabledBy()) ? Permission.always(p.actions()) : p).toList();
        assertThat(declaredByCondition(remediationAlways)).isNotEqualTo(granted);
    }

    @Test
    void theTemplateReaderFollowsIfBranchesAndParameterReferences() {
        CfnTemplate t = CfnTemplate.parse("""
                Conditions:
                  FlagOn: !Equals [!Ref Flag, "true"]
                  Other: !Not [!Equals [!Ref Else, ""]]
                Resources:
                  Fn:
                    Properties:
                      Environment:
                        Variables:
                          FLAG: !Ref Flag
                          LITERAL: "x"
                      Policies:
                        - AWSLambdaBasicExecutionRole
                        - Statement:
                            - Effect: Allow
                              Action: [a:One, a:Two]
                              Resource: !Sub "arn:${AWS::Partition}:a:::*"
                        - !If
                          - FlagOn
                          - Statement:
                              - Effect: Allow
                                Action: b:Three
                                Resource: "*"
                          - Statement:
                              - Effect: Allow
                                Action: [c:Four]
                                Resource: "*"
                """);

        assertThat(t.actionsByCondition("Fn")).isEqualTo(Map.of(CfnTemplate.ALWAYS, Set.of("a:One", "a:Two"),
                "FlagOn", Set.of("b:Three"), "!FlagOn", Set.of("c:Four")));
        assertThat(t.conditionOf("Fn", "FLAG")).isEqualTo("FlagOn");
        assertThatThrownBy(() -> t.conditionOf("Fn", "LITERAL")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> t.conditionOf("Fn", "MISSING")).isInstanceOf(AssertionError.class);
    }
}
