package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import dev.atrest.core.json.UntrustedText;
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
    /** Shown as the finding's source in Security Hub; a custom integration sets them itself (ASFF, max 128). */
    static final String PRODUCT_NAME = "atrest";
    static final String COMPANY_NAME = "atrest";
    /** ASFF's limit for Title. */
    static final int TITLE_MAX = 256;
    private static final String ACCOUNT_RESOURCE = "AWS::::Account:";

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

    /**
     * This function's open findings in the region among {@code ids}: what an audit of one resource may resolve.
     * The ids are filtered here too, so a hub that ignored the filter could not widen what is resolved.
     */
    public List<Finding> openFindings(String region, String partition, String accountId, java.util.Set<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        AwsSecurityFindingFilters filters = AwsSecurityFindingFilters.builder()
                .id(ids.stream().sorted().map(SecurityHubGateway::eq).toList())
                .productArn(eq(productArn(partition, region, accountId)))
                .recordState(eq(RecordState.ACTIVE.toString()))
                .complianceStatus(eq(ComplianceStatus.FAILED.name()))
                .build();
        return AwsFailure.call("GetFindings " + region, () -> {
            List<Finding> out = new ArrayList<>();
            hub(region).getFindingsPaginator(b -> b.filters(filters).maxResults(PAGE)).findings().stream()
                    .filter(f -> ids.contains(f.id()) && f.generatorId() != null
                            && f.generatorId().startsWith(generatorPrefix)
                            && RecordState.ACTIVE.toString().equals(f.recordStateAsString())
                            && f.compliance() != null && ComplianceStatus.FAILED.name().equals(f.compliance().statusAsString()))
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
        Map<String, String> details = new LinkedHashMap<>();
        f.details().forEach((k, v) -> details.put(UntrustedText.bound(k, 128), UntrustedText.bound(v, 1024)));
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
                .productName(PRODUCT_NAME)
                .companyName(COMPANY_NAME)
                .title(title(f))
                .description(limit(f.reason(), 1024))
                .remediation(Remediation.builder().recommendation(Recommendation.builder()
                        .text(limit(f.remediation(), 512)).build()).build())
                .productFields(fields)
                .resources(Resource.builder().type(f.resourceType()).id(f.resourceId()).partition(partition)
                        .region(f.region()).tags(f.resourceTags().isEmpty() ? null : tags(f.resourceTags()))
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
        String resourceId = resource != null ? resource.id() : f.id();
        String resourceRegion = resource != null && resource.region() != null ? resource.region() : region;
        return new Finding(f.id(), checkId, fields.get(FIELD_CONTROL),
                checkTitle(f.title(), resourceId, resourceRegion), severity, ComplianceStatus.FAILED,
                resource != null ? resource.type() : "Other", resourceId, resourceRegion, f.awsAccountId(),
                f.description(), f.remediation() != null && f.remediation().recommendation() != null
                        ? f.remediation().recommendation().text() : null,
                resource != null ? resource.tags() : null, details, Instant.parse(f.createdAt()));
    }

    /**
     * The check's title naming the resource, e.g. "EBS volume is not encrypted at rest: vol-0abc": ASFF wants the
     * affected resource in the title. Bounded to ASFF's 256 characters by shortening the check's part, never the
     * name; the name comes from AWS (an ARN's resource id) and is still neutralised.
     */
    static String title(Finding f) {
        String suffix = ": " + resourceName(f.resourceId(), f.region());
        return limit(f.title() == null ? f.checkId() : f.title(), TITLE_MAX - suffix.length()) + suffix;
    }

    /**
     * The check's own title back from an imported one, so that a finding read from the hub and imported again
     * (resolved) names its resource once, not twice.
     */
    static String checkTitle(String imported, String resourceId, String region) {
        String suffix = ": " + resourceName(resourceId, region);
        return imported != null && imported.endsWith(suffix) && imported.length() > suffix.length()
                ? imported.substring(0, imported.length() - suffix.length()) : imported;
    }

    /** The id at the end of the resource's ARN (vol-…, snap-…, fs-…, a bucket's name), or the account's Region. */
    static String resourceName(String resourceId, String region) {
        if (resourceId.startsWith(ACCOUNT_RESOURCE)) {
            return UntrustedText.abbreviate(region + " (account " + resourceId.substring(ACCOUNT_RESOURCE.length()) + ")");
        }
        int cut = Math.max(resourceId.lastIndexOf('/'), resourceId.lastIndexOf(':'));
        return UntrustedText.abbreviate(cut >= 0 && cut < resourceId.length() - 1 ? resourceId.substring(cut + 1)
                : resourceId);
    }

    private static StringFilter eq(String value) {
        return StringFilter.builder().value(value).comparison(StringFilterComparison.EQUALS).build();
    }

    /** Text with a hard ASFF limit; reasons and details may carry tags and names: neutralised as well. */
    private static String limit(String s, int max) {
        return UntrustedText.bound(s, max);
    }

    /** ASFF Resource.Tags: at most 50, keys of at most 128 characters and values of 256, each neutralised. */
    static Map<String, String> tags(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (out.size() == 50) {
                break;
            }
            out.put(UntrustedText.bound(t.getKey(), 128), UntrustedText.bound(t.getValue(), 256));
        }
        return out;
    }
}
