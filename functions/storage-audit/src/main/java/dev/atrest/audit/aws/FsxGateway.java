package dev.atrest.audit.aws;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.ClientFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.fsx.FSxClient;
import software.amazon.awssdk.services.fsx.model.Backup;
import software.amazon.awssdk.services.fsx.model.FileSystem;
import software.amazon.awssdk.services.fsx.model.Tag;

/** FSx calls of the audit: file systems and backups; the only class that knows FSx SDK types. */
public final class FsxGateway {
    /** FSx takes any page size; 1000 keeps one answer's size bounded. */
    static final int PAGE = 1000;

    /**
     * An FSx file system or backup and the key its data is under.
     *
     * @param kmsKeyId the key ARN FSx reports; null for Lustre scratch file systems (and their absence of backups),
     *     whose data is under keys FSx manages per file system
     * @param detail LUSTRE deployment type (SCRATCH_1...), or a backup's file system id
     */
    public record FsxResource(String id, String arn, String region, String type, String detail, String kmsKeyId,
            Map<String, String> tags) {}

    private final ClientFactory clients;

    public FsxGateway(ClientFactory clients) {
        this.clients = clients;
    }

    private FSxClient fsx(String region) {
        return clients.client("fsx", Region.of(region), FSxClient::builder);
    }

    public void fileSystems(String region, Consumer<FsxResource> sink) {
        AwsFailure.run("DescribeFileSystems " + region, () -> fsx(region)
                .describeFileSystemsPaginator(b -> b.maxResults(PAGE)).stream()
                .flatMap(page -> page.fileSystems().stream()).forEach(fs -> sink.accept(fileSystem(fs, region))));
    }

    /** One file system by id; empty when the region has none of that id (FileSystemNotFound). */
    public Optional<FsxResource> fileSystem(String region, String id) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeFileSystems " + id, () -> fsx(region)
                .describeFileSystems(b -> b.fileSystemIds(id)).fileSystems().stream()
                .map(fs -> fileSystem(fs, region)).findFirst()));
    }

    public void backups(String region, Consumer<FsxResource> sink) {
        AwsFailure.run("DescribeBackups " + region, () -> fsx(region)
                .describeBackupsPaginator(b -> b.maxResults(PAGE)).stream()
                .flatMap(page -> page.backups().stream()).forEach(backup -> sink.accept(backup(backup, region))));
    }

    /** One backup by id; empty when the region has none of that id (BackupNotFound). */
    public Optional<FsxResource> backup(String region, String id) {
        return MissingResource.emptyIfNotFound(() -> AwsFailure.call("DescribeBackups " + id, () -> fsx(region)
                .describeBackups(b -> b.backupIds(id)).backups().stream()
                .map(backup -> backup(backup, region)).findFirst()));
    }

    private static FsxResource fileSystem(FileSystem fs, String region) {
        String deployment = fs.lustreConfiguration() == null ? null
                : fs.lustreConfiguration().deploymentTypeAsString();
        return new FsxResource(fs.fileSystemId(), fs.resourceARN(), region, fs.fileSystemTypeAsString(), deployment,
                blankToNull(fs.kmsKeyId()), tags(fs.tags()));
    }

    private static FsxResource backup(Backup b, String region) {
        String fileSystemType = b.fileSystem() == null ? null : b.fileSystem().fileSystemTypeAsString();
        String fileSystemId = b.fileSystem() == null ? null : b.fileSystem().fileSystemId();
        return new FsxResource(b.backupId(), b.resourceARN(), region, fileSystemType, fileSystemId,
                blankToNull(b.kmsKeyId()), tags(b.tags()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            out.put(t.key(), t.value());
        }
        return out;
    }
}
