package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.efs.EfsClient;
import software.amazon.awssdk.services.efs.model.FileSystemDescription;
import software.amazon.awssdk.services.efs.model.Tag;

/** EFS calls of the audit; the only class that knows EFS SDK types. */
public final class EfsGateway {
    /** EFS pages at 100 file systems at most. */
    static final int PAGE = 100;

    /** A described file system, before its key's manager is known. */
    public record FileSystem(String id, String arn, String region, boolean encrypted, String kmsKeyId,
            Map<String, String> tags) {}

    private final ClientFactory clients;

    public EfsGateway(ClientFactory clients) {
        this.clients = clients;
    }

    private EfsClient efs(String region) {
        return clients.client("elasticfilesystem", Region.of(region), EfsClient::builder);
    }

    public void fileSystems(String region, Consumer<FileSystem> sink) {
        AwsFailure.run("DescribeFileSystems " + region, () -> efs(region)
                .describeFileSystemsPaginator(b -> b.maxItems(PAGE)).fileSystems()
                .forEach(fs -> sink.accept(fileSystem(fs, region))));
    }

    /** One file system by id; empty when the region has none of that id (FileSystemNotFound). */
    public Optional<FileSystem> fileSystem(String region, String fileSystemId) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeFileSystems " + fileSystemId,
                () -> efs(region).describeFileSystems(b -> b.fileSystemId(fileSystemId)).fileSystems().stream()
                        .map(fs -> fileSystem(fs, region)).findFirst()));
    }

    private static FileSystem fileSystem(FileSystemDescription fs, String region) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Tag t : fs.tags()) {
            tags.put(t.key(), t.value());
        }
        return new FileSystem(fs.fileSystemId(), fs.fileSystemArn(), region, Boolean.TRUE.equals(fs.encrypted()),
                fs.kmsKeyId() == null || fs.kmsKeyId().isBlank() ? null : fs.kmsKeyId(), tags);
    }

    public void tag(String region, String fileSystemId, String key, String value) {
        AwsFailure.run("TagResource " + fileSystemId, () -> efs(region).tagResource(b -> b.resourceId(fileSystemId)
                .tags(Tag.builder().key(key).value(value).build())));
    }

    public void untag(String region, String fileSystemId, String key) {
        AwsFailure.run("UntagResource " + fileSystemId,
                () -> efs(region).untagResource(b -> b.resourceId(fileSystemId).tagKeys(List.of(key))));
    }
}
