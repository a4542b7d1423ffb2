package dev.atrest.audit.aws;

import dev.atrest.audit.check.SnapshotState;
import dev.atrest.audit.check.VolumeState;
import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/** EBS and region calls of the audit; the only class that knows EC2 SDK types. */
public final class Ec2Gateway {
    /** The largest pages EC2 serves: fewer calls for large accounts. */
    static final int VOLUME_PAGE = 500;
    static final int SNAPSHOT_PAGE = 1000;
    /** CreateTags/DeleteTags take at most 1000 resource ids; smaller batches keep one failure's blast radius small. */
    static final int TAG_BATCH = 500;

    private final ClientFactory clients;

    public Ec2Gateway(ClientFactory clients) {
        this.clients = clients;
    }

    private Ec2Client ec2(String region) {
        return clients.client("ec2", Region.of(region), Ec2Client::builder);
    }

    /**
     * Regions enabled for the account (opted in, or not needing opt-in) in the function's partition. AWS already
     * leaves out disabled regions when AllRegions is false; the filters keep an answer that lists them (as moto's
     * does) from sending the audit to regions these credentials cannot reach.
     */
    public List<String> enabledRegions() {
        String home = clients.defaultRegion().id();
        String partition = AccountIdentity.partition(home);
        return AwsFailure.call("DescribeRegions", () -> ec2(home)
                .describeRegions(b -> b.allRegions(false)).regions().stream()
                .filter(r -> r.optInStatus() == null || !r.optInStatus().equals("not-opted-in"))
                .map(software.amazon.awssdk.services.ec2.model.Region::regionName)
                .filter(r -> AccountIdentity.partition(r).equals(partition)).toList());
    }

    /** Streams every volume of the region into {@code sink}, one page at a time. */
    public void volumes(String region, String accountId, String partition, Consumer<VolumeState> sink) {
        AwsFailure.run("DescribeVolumes " + region, () -> ec2(region)
                .describeVolumesPaginator(b -> b.maxResults(VOLUME_PAGE)).volumes()
                .forEach(v -> sink.accept(volume(v, region, accountId, partition))));
    }

    /** One volume by id; empty when the region has no such volume (InvalidVolume.NotFound). */
    public Optional<VolumeState> volume(String region, String accountId, String partition, String volumeId) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeVolumes " + volumeId, () -> ec2(region)
                .describeVolumes(b -> b.volumeIds(volumeId)).volumes().stream()
                .map(v -> volume(v, region, accountId, partition)).findFirst()));
    }

    private static VolumeState volume(Volume v, String region, String accountId, String partition) {
        return new VolumeState(v.volumeId(),
                "arn:" + partition + ":ec2:" + region + ":" + accountId + ":volume/" + v.volumeId(), region,
                Boolean.TRUE.equals(v.encrypted()), v.kmsKeyId(),
                v.attachments().stream().map(VolumeAttachment::instanceId).distinct().toList(), tags(v.tags()));
    }

    /** Snapshots owned by the account only: public and shared snapshots of others are not ours to audit. */
    public void snapshots(String region, String partition, Consumer<SnapshotState> sink) {
        AwsFailure.run("DescribeSnapshots " + region, () -> ec2(region)
                .describeSnapshotsPaginator(b -> b.ownerIds("self").maxResults(SNAPSHOT_PAGE)).snapshots()
                .forEach(s -> sink.accept(snapshot(s, region, partition))));
    }

    /** One snapshot by id, if the account owns it; empty when it has no such snapshot (InvalidSnapshot.NotFound). */
    public Optional<SnapshotState> snapshot(String region, String partition, String snapshotId) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeSnapshots " + snapshotId,
                () -> ec2(region).describeSnapshots(b -> b.ownerIds("self").snapshotIds(snapshotId)).snapshots()
                        .stream().map(s -> snapshot(s, region, partition)).findFirst()));
    }

    private static SnapshotState snapshot(Snapshot s, String region, String partition) {
        return new SnapshotState(s.snapshotId(), "arn:" + partition + ":ec2:" + region + "::snapshot/" + s.snapshotId(),
                region, Boolean.TRUE.equals(s.encrypted()), s.kmsKeyId(), s.volumeId(), tags(s.tags()));
    }

    public boolean encryptionByDefault(String region) {
        return AwsFailure.call("GetEbsEncryptionByDefault " + region,
                () -> Boolean.TRUE.equals(ec2(region).getEbsEncryptionByDefault(b -> {}).ebsEncryptionByDefault()));
    }

    public String defaultKmsKeyId(String region) {
        return AwsFailure.call("GetEbsDefaultKmsKeyId " + region,
                () -> ec2(region).getEbsDefaultKmsKeyId(b -> {}).kmsKeyId());
    }

    public void enableEncryptionByDefault(String region) {
        AwsFailure.run("EnableEbsEncryptionByDefault " + region, () -> ec2(region).enableEbsEncryptionByDefault(b -> {}));
    }

    public void setDefaultKmsKey(String region, String keyArn) {
        AwsFailure.run("ModifyEbsDefaultKmsKeyId " + region,
                () -> ec2(region).modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(keyArn)));
    }

    /** Tags resources (volumes, snapshots) in batches; returns the ids of the batches that succeeded. */
    public List<String> tag(String region, List<String> resourceIds, String key, String value) {
        List<String> done = new ArrayList<>();
        for (List<String> batch : batches(resourceIds)) {
            AwsFailure.run("CreateTags " + region, () -> ec2(region).createTags(b -> b.resources(batch)
                    .tags(Tag.builder().key(key).value(value).build())));
            done.addAll(batch);
        }
        return done;
    }

    public List<String> untag(String region, List<String> resourceIds, String key) {
        List<String> done = new ArrayList<>();
        for (List<String> batch : batches(resourceIds)) {
            AwsFailure.run("DeleteTags " + region, () -> ec2(region).deleteTags(b -> b.resources(batch)
                    .tags(Tag.builder().key(key).build())));
            done.addAll(batch);
        }
        return done;
    }

    private static List<List<String>> batches(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += TAG_BATCH) {
            out.add(ids.subList(i, Math.min(ids.size(), i + TAG_BATCH)));
        }
        return out;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.key(), t.value());
        }
        return out;
    }
}
