package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.securityhub.SecurityHubClient;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFinding;
import software.amazon.awssdk.services.securityhub.model.AwsSecurityFindingFilters;
import software.amazon.awssdk.services.securityhub.model.BatchImportFindingsResponse;
import software.amazon.awssdk.services.securityhub.model.Compliance;
import software.amazon.awssdk.services.securityhub.model.Recommendation;
import software.amazon.awssdk.services.securityhub.model.RecordState;
import software.amazon.awssdk.services.securityhub.model.Remediation;
import software.amazon.awssdk.services.securityhub.model.Resource;
import software.amazon.awssdk.services.securityhub.model.ResourceDetails;
import software.amazon.awssdk.services.securityhub.model.SeverityLabel;
import software.amazon.awssdk.services.securityhub.model.StringFilter;
import software.amazon.awssdk.services.securityhub.model.StringFilterComparison;

/**
 * Security Hub as a finding provider: imports findings in ASFF to the hub of the finding's region and reads back
 * the findings this function left open. Resolution follows the provider path AWS documents: the same Id imported
 * again with Compliance PASSED and RecordState ARCHIVED.
 */
public final class SecurityHubGateway {
    /** BatchImportFindings accepts at most 100 findings per call. */
    public static final int IMPORT_BATCH = 100;
    static final int PAGE = 100;
    static final String SCHEMA = "2018-10-08";
    static final String TYPE = "Software and Configuration Checks/AWS Security Best Practices";
    static final String FIELD_CHECK = "atrest/CheckId";
    static final String FIELD_CONTROL = "atrest/ControlId";
    static final String FIELD_REMEDIATION = "atrest/Remediation";

    public record ImportResult(int succeeded, int failed, String firstError) {}

    private final ClientFactory clients;
    private final String generatorPrefix;

    /** @param source names the producing function; generator ids are {@code atrest/<source>/<checkId>} */
    public SecurityHubGateway(ClientFactory clients, String source) {
        this.clients = clients;
        this.generatorPrefix = "atrest/" + source + "/";
    }

    private SecurityHubClient hub(String region) {
        return clients.client("securityhub", Region.of(region), SecurityHubClient::builder);
    }

    public static String productArn(String partition, String region, String accountId) {
        return "arn:" + partition + ":securityhub:" + region + ":" + accountId + ":product/" + accountId + "/default";
    }

    /** This function's findings in the region that are still open (active and failed). */
    public List<Finding> openFindings(String region, String partition, String accountId) {
        AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder()
                .productArn(eq(productArn(partition, region, accountId)))
                .generatorId(StringFilter.builder().value(generatorPrefix).comparison(StringFilterComparison.PREFIX).build())
                .recordState(eq(RecordState.ACTIVE.toString()))
                .complianceStatus(eq(ComplianceStatus.FAILED.name()))
                .build();
        return AwsFailure.call("GetFindings " + region, () -> {
            List<Finding> out = new ArrayList<>();
            hub(region).getFindingsPaginator(b -> b.filters(filters).maxResults(PAGE)).findings()
                    .forEach(f -> out.add(fromAsff(f, region)));
            return out;
        });
    }

    /** Imports findings in batches of 100; a rejected finding is counted, never silently dropped. */
    public ImportResult importFindings(String region, String partition, String accountId, List<Finding> findings,
            Instant now) {
        String product = productArn(partition, region, accountId);
        int ok = 0;
        int failed = 0;
        String firstError = null;
        for (int i = 0; i < findings.size(); i += IMPORT_BATCH) {
            List<AwsSecurityFinding> batch = findings.subList(i, Math.min(findings.size(), i + IMPORT_BATCH)).stream()
                    .map(f -> toAsff(f, product, partition, now)).toList();
            BatchImportFindingsResponse r = AwsFailure.call("BatchImportFindings " + region,
                    () -> hub(region).batchImportFindings(b -> b.findings(batch)));
            ok += r.successCount();
            failed += r.failedCount();
            if (firstError == null && !r.failedFindings().isEmpty()) {
                var e = r.failedFindings().get(0);
                firstError = e.id() + ": " + e.errorCode() + " " + e.errorMessage();
            }
        }
        return new ImportResult(ok, failed, firstError);
    }

    AwsSecurityFinding toAsff(Finding f, String product, String partition, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(FIELD_CHECK, f.checkId());
        if (f.controlId() != null) {
            fields.put(FIELD_CONTROL, f.controlId());
        }
        Map<String, String> details = new LinkedHashMap<>(f.details());
        return AwsSecurityFinding.builder()
                .schemaVersion(SCHEMA)
                .id(f.id())
                .productArn(product)
                .generatorId(generatorPrefix + f.checkId())
                .awsAccountId(f.accountId())
                .types(TYPE)
                .createdAt(f.observedAt().toString())
                .updatedAt(now.toString())
                .severity(s -> s.label(SeverityLabel.fromValue(f.severity().name())))
                // Providers update severity and types through FindingProviderFields; the top-level ones are the
                // customer's once set.
                .findingProviderFields(p -> p.severity(s -> s.label(SeverityLabel.fromValue(f.severity().name())))
                        .types(TYPE))
                .title(f.title())
                .description(limit(f.reason(), 1024))
                .remediation(Remediation.builder().recommendation(Recommendation.builder()
                        .text(limit(f.remediation(), 512)).build()).build())
                .productFields(fields)
                .resources(Resource.builder().type(f.resourceType()).id(f.resourceId()).partition(partition)
                        .region(f.region()).tags(f.resourceTags().isEmpty() ? null : f.resourceTags())
                        .details(details.isEmpty() ? null : ResourceDetails.builder().other(details).build()).build())
                .compliance(Compliance.builder().status(f.status().name())
                        .relatedRequirements(f.controlId() == null ? null : List.of("AWS Security Hub control " + f.controlId()))
                        .build())
                .recordState(f.failed() ? RecordState.ACTIVE : RecordState.ARCHIVED)
                .build();
    }

    Finding fromAsff(AwsSecurityFinding f, String region) {
        Map<String, String> fields = f.productFields() == null ? Map.of() : f.productFields();
        Resource resource = f.resources().isEmpty() ? null : f.resources().get(0);
        String checkId = fields.getOrDefault(FIELD_CHECK,
                f.generatorId().startsWith(generatorPrefix) ? f.generatorId().substring(generatorPrefix.length()) : f.generatorId());
        Severity severity;
        try {
            severity = Severity.valueOf(f.severity().labelAsString());
        } catch (RuntimeException e) {
            severity = Severity.MEDIUM;
        }
        Map<String, String> details = resource != null && resource.details() != null && resource.details().other() != null
                ? resource.details().other() : new HashMap<>();
        return new Finding(f.id(), checkId, fields.get(FIELD_CONTROL), f.title(), severity, ComplianceStatus.FAILED,
                resource != null ? resource.type() : "Other", resource != null ? resource.id() : f.id(),
                resource != null && resource.region() != null ? resource.region() : region, f.awsAccountId(),
                f.description(), f.remediation() != null && f.remediation().recommendation() != null
                        ? f.remediation().recommendation().text() : null,
                resource != null ? resource.tags() : null, details, Instant.parse(f.createdAt()));
    }

    private static StringFilter eq(String value) {
        return StringFilter.builder().value(value).comparison(StringFilterComparison.EQUALS).build();
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
