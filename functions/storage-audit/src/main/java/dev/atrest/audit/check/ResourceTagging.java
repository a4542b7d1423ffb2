package dev.atrest.audit.check;

import dev.atrest.audit.aws.Ec2Gateway;
import dev.atrest.audit.aws.EfsGateway;
import dev.atrest.core.findings.Finding;
import java.util.List;
import java.util.Set;

/**
 * How a check's resources are tagged: which API, by which id, with which IAM actions. The tag sink asks the check
 * for this instead of knowing resource types.
 */
public interface ResourceTagging {

    /** The IAM actions of {@link #tag} and {@link #untag}. */
    Set<String> actions();

    /** The id the tagging API takes for the finding's resource (not its ARN). */
    String resourceId(Finding finding);

    /** @throws dev.atrest.core.aws.AwsFailure at the first batch that could not be tagged */
    void tag(String region, List<String> resourceIds, String key, String value);

    /** @throws dev.atrest.core.aws.AwsFailure at the first batch whose tag could not be removed */
    void untag(String region, List<String> resourceIds, String key);

    /**
     * EC2 resources (volumes, snapshots): CreateTags/DeleteTags in batches.
     *
     * @param idDetail the finding detail that holds the resource's EC2 id
     */
    static ResourceTagging ec2(Ec2Gateway ec2, String idDetail) {
        return new Ec2(ec2, idDetail);
    }

    /** EFS file systems: TagResource/UntagResource, one file system per call. */
    static ResourceTagging efs(EfsGateway efs) {
        return new Efs(efs);
    }

    record Ec2(Ec2Gateway ec2, String idDetail) implements ResourceTagging {
        @Override
        public Set<String> actions() {
            return Set.of("ec2:CreateTags", "ec2:DeleteTags");
        }

        @Override
        public String resourceId(Finding finding) {
            return finding.details().getOrDefault(idDetail, finding.resourceId());
        }

        @Override
        public void tag(String region, List<String> resourceIds, String key, String value) {
            ec2.tag(region, resourceIds, key, value);
        }

        @Override
        public void untag(String region, List<String> resourceIds, String key) {
            ec2.untag(region, resourceIds, key);
        }
    }

    record Efs(EfsGateway efs) implements ResourceTagging {
        @Override
        public Set<String> actions() {
            return Set.of("elasticfilesystem:TagResource", "elasticfilesystem:UntagResource");
        }

        @Override
        public String resourceId(Finding finding) {
            return finding.details().getOrDefault("fileSystemId", finding.resourceId());
        }

        @Override
        public void tag(String region, List<String> resourceIds, String key, String value) {
            for (String id : resourceIds) {
                efs.tag(region, id, key, value);
            }
        }

        @Override
        public void untag(String region, List<String> resourceIds, String key) {
            for (String id : resourceIds) {
                efs.untag(region, id, key);
            }
        }
    }
}
