package dev.atrest.core.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FindingReconciliationTest {
    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    private static final FindingScope SCOPE = new FindingScope("us-east-1", "ebs-volume-encrypted");

    static Finding finding(String resource, ComplianceStatus status) {
        return new Finding(null, "ebs-volume-encrypted", "EC2.3", "t", Severity.MEDIUM, status, "AwsEc2Volume",
                resource, "us-east-1", "123456789012", status == ComplianceStatus.FAILED ? "unencrypted" : "encrypted",
                "r", null, null, NOW);
    }

    static Stream<Arguments> cases() {
        Finding openA = finding("vol-a", ComplianceStatus.FAILED);
        return Stream.of(
                // previously open, now: still failing -> neither new nor resolved
                Arguments.of("still failing", List.of(openA), List.of(finding("vol-a", ComplianceStatus.FAILED)),
                        Set.of(SCOPE), Set.of(), List.of()),
                Arguments.of("fixed", List.of(openA), List.of(finding("vol-a", ComplianceStatus.PASSED)),
                        Set.of(SCOPE), Set.of(), List.of("now compliant: encrypted")),
                Arguments.of("deleted", List.of(openA), List.of(), Set.of(SCOPE), Set.of(),
                        List.of("the resource no longer exists")),
                Arguments.of("scope failed: stays open", List.of(openA), List.of(), Set.of(), Set.of(), List.of()),
                Arguments.of("first failure is new", List.of(), List.of(finding("vol-b", ComplianceStatus.FAILED)),
                        Set.of(SCOPE), Set.of(Finding.stableId("ebs-volume-encrypted", "us-east-1", "vol-b")), List.of()),
                Arguments.of("passing is never new", List.of(), List.of(finding("vol-b", ComplianceStatus.PASSED)),
                        Set.of(SCOPE), Set.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reconciles(String name, List<Finding> open, List<Finding> now, Set<FindingScope> completed, Set<String> fresh,
            List<String> resolvedReasons) {
        FindingReconciliation.Result result = FindingReconciliation.reconcile(open, now, completed, NOW);
        assertThat(result.newFindingIds()).isEqualTo(fresh);
        assertThat(result.resolved()).extracting(Finding::reason).containsExactlyElementsOf(resolvedReasons);
        assertThat(result.resolved()).allSatisfy(f -> {
            assertThat(f.status()).isEqualTo(ComplianceStatus.PASSED);
            assertThat(f.id()).isEqualTo(open.get(0).id());
        });
    }

    @Test
    void idDependsOnCheckRegionAndResourceOnly() {
        Finding failing = finding("vol-a", ComplianceStatus.FAILED);
        Finding passing = finding("vol-a", ComplianceStatus.PASSED);
        assertThat(failing.id()).isEqualTo(passing.id()).isEqualTo("atrest/ebs-volume-encrypted/us-east-1/vol-a");
        assertThat(finding("vol-b", ComplianceStatus.FAILED).id()).isNotEqualTo(failing.id());
    }

    @Test
    void summaryCountsPerScopeAndStaysSmall() {
        Finding a = finding("vol-a", ComplianceStatus.FAILED);
        Finding b = finding("vol-b", ComplianceStatus.PASSED);
        Finding gone = finding("vol-c", ComplianceStatus.FAILED).resolved("the resource no longer exists", NOW);
        FindingsReport report = new FindingsReport("storage-audit", NOW, true, List.of(a, b), List.of(gone),
                Set.of(a.id()), true, Set.of(SCOPE, new FindingScope("eu-west-1", "ebs-volume-encrypted")),
                List.of(new ScopeFailure(new FindingScope("eu-west-1", "efs-encrypted"), "ACCESS_DENIED", "denied")));
        var body = SummaryMessage.body(report);
        assertThat(body.get("totals")).isEqualTo(java.util.Map.of("nonCompliant", 1, "compliant", 1, "new", 1, "resolved", 1));
        assertThat((List<?>) body.get("byCheckAndRegion")).hasSize(2);
        assertThat(SummaryMessage.subject(report))
                .isEqualTo("atrest storage-audit: 1 non-compliant (1 new, 1 resolved), 1 scopes failed");
    }
}
