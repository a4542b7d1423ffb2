package dev.atrest.audit;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.audit.AuditTarget.Kind;
import dev.atrest.audit.check.EbsDefaultEncryptionCheck;
import dev.atrest.audit.check.EbsSnapshotCheck;
import dev.atrest.audit.check.EbsVolumeCheck;
import dev.atrest.audit.check.EfsFileSystemCheck;
import dev.atrest.audit.check.FsxBackupCheck;
import dev.atrest.audit.check.FsxFileSystemCheck;
import dev.atrest.audit.check.KmsCustomKeyStoreCheck;
import dev.atrest.audit.check.KmsKeyDataAtRiskCheck;
import dev.atrest.audit.check.KmsKeyPolicyCheck;
import dev.atrest.audit.check.S3BucketDefaultEncryptionCheck;
import dev.atrest.audit.check.S3BucketSseCBlockedCheck;
import dev.atrest.core.json.MalformedEventException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The events that create or weaken what the audit looks at, each turned into the one resource to audit and the
 * checks to ask: EBS "EBS Volume Notification" (createVolume, which names no key: the volume is read), and the
 * CloudTrail records EventBridge delivers as "AWS API Call via CloudTrail" for EC2, EFS, FSx, S3 and KMS. The table
 * here and the template's rule patterns list the same events (StorageAuditEventsTest holds them together).
 */
final class ChangeEvents {
    static final String VOLUME_NOTIFICATION = "EBS Volume Notification";
    static final String CLOUDTRAIL = "AWS API Call via CloudTrail";

    /** A key as KMS names them: key id (UUID or mrk-), key ARN, alias name or alias ARN. */
    private static final String KMS_KEY_ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final Pattern KEY_REFERENCE = Pattern.compile("^(" + KMS_KEY_ID + "|alias/[A-Za-z0-9/_-]{1,250}"
            + "|arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(key/" + KMS_KEY_ID + "|alias/[A-Za-z0-9/_-]{1,250}))$");

    /** Where a CloudTrail record names its resource, and what it is. */
    private record Call(String source, Kind kind, List<String> checks, List<List<String>> idPaths) {}

    private static final List<String> BUCKET_CHECKS = List.of(S3BucketDefaultEncryptionCheck.DEFINITION.id(),
            S3BucketSseCBlockedCheck.DEFINITION.id());
    private static final List<String> KEY_RISK = List.of(KmsKeyDataAtRiskCheck.DEFINITION.id());
    private static final List<String> KEY_RISK_AND_POLICY = List.of(KmsKeyDataAtRiskCheck.DEFINITION.id(),
            KmsKeyPolicyCheck.DEFINITION.id());
    private static final List<List<String>> KEY_ID = List.of(List.of("requestParameters", "keyId"));
    private static final List<List<String>> FSX_FILE_SYSTEM = List.of(
            List.of("responseElements", "fileSystem", "fileSystemId"),
            List.of("responseElements", "FileSystem", "FileSystemId"));
    private static final List<List<String>> FSX_BACKUP = List.of(List.of("responseElements", "backup", "backupId"),
            List.of("responseElements", "Backup", "BackupId"));
    private static final List<List<String>> STORE_ID = List.of(List.of("requestParameters", "customKeyStoreId"));

    /** eventSource/eventName -> the resource it names. Keys are "source eventName". */
    static final Map<String, Call> CALLS = Map.ofEntries(
            call("ec2.amazonaws.com", "CreateSnapshot", Kind.SNAPSHOT, List.of(EbsSnapshotCheck.DEFINITION.id()),
                    List.of(List.of("responseElements", "snapshotId"))),
            call("ec2.amazonaws.com", "CopySnapshot", Kind.SNAPSHOT, List.of(EbsSnapshotCheck.DEFINITION.id()),
                    List.of(List.of("responseElements", "snapshotId"))),
            call("ec2.amazonaws.com", "DisableEbsEncryptionByDefault", Kind.EBS_DEFAULTS,
                    List.of(EbsDefaultEncryptionCheck.DEFINITION.id()), List.of()),
            call("ec2.amazonaws.com", "ModifyEbsDefaultKmsKeyId", Kind.EBS_DEFAULTS,
                    List.of(EbsDefaultEncryptionCheck.DEFINITION.id()), List.of()),
            call("ec2.amazonaws.com", "ResetEbsDefaultKmsKeyId", Kind.EBS_DEFAULTS,
                    List.of(EbsDefaultEncryptionCheck.DEFINITION.id()), List.of()),
            call("elasticfilesystem.amazonaws.com", "CreateFileSystem", Kind.EFS_FILE_SYSTEM,
                    List.of(EfsFileSystemCheck.DEFINITION.id()), List.of(List.of("responseElements", "fileSystemId"))),
            call("fsx.amazonaws.com", "CreateFileSystem", Kind.FSX_FILE_SYSTEM,
                    List.of(FsxFileSystemCheck.DEFINITION.id()), FSX_FILE_SYSTEM),
            call("fsx.amazonaws.com", "CreateFileSystemFromBackup", Kind.FSX_FILE_SYSTEM,
                    List.of(FsxFileSystemCheck.DEFINITION.id()), FSX_FILE_SYSTEM),
            call("fsx.amazonaws.com", "CreateBackup", Kind.FSX_BACKUP, List.of(FsxBackupCheck.DEFINITION.id()),
                    FSX_BACKUP),
            call("fsx.amazonaws.com", "CopyBackup", Kind.FSX_BACKUP, List.of(FsxBackupCheck.DEFINITION.id()),
                    FSX_BACKUP),
            call("s3.amazonaws.com", "CreateBucket", Kind.BUCKET, BUCKET_CHECKS,
                    List.of(List.of("requestParameters", "bucketName"))),
            call("s3.amazonaws.com", "PutBucketEncryption", Kind.BUCKET, BUCKET_CHECKS,
                    List.of(List.of("requestParameters", "bucketName"))),
            call("s3.amazonaws.com", "DeleteBucketEncryption", Kind.BUCKET, BUCKET_CHECKS,
                    List.of(List.of("requestParameters", "bucketName"))),
            call("kms.amazonaws.com", "ScheduleKeyDeletion", Kind.KEY, KEY_RISK, KEY_ID),
            call("kms.amazonaws.com", "DisableKey", Kind.KEY, KEY_RISK, KEY_ID),
            call("kms.amazonaws.com", "DeleteImportedKeyMaterial", Kind.KEY, KEY_RISK, KEY_ID),
            call("kms.amazonaws.com", "ImportKeyMaterial", Kind.KEY, KEY_RISK, KEY_ID),
            // Undoing a deletion or a disabling resolves the risk, and makes an open policy usable again.
            call("kms.amazonaws.com", "CancelKeyDeletion", Kind.KEY, KEY_RISK_AND_POLICY, KEY_ID),
            call("kms.amazonaws.com", "EnableKey", Kind.KEY, KEY_RISK_AND_POLICY, KEY_ID),
            call("kms.amazonaws.com", "PutKeyPolicy", Kind.KEY, List.of(KmsKeyPolicyCheck.DEFINITION.id()), KEY_ID),
            call("kms.amazonaws.com", "ConnectCustomKeyStore", Kind.CUSTOM_KEY_STORE,
                    List.of(KmsCustomKeyStoreCheck.DEFINITION.id()), STORE_ID),
            call("kms.amazonaws.com", "DisconnectCustomKeyStore", Kind.CUSTOM_KEY_STORE,
                    List.of(KmsCustomKeyStoreCheck.DEFINITION.id()), STORE_ID),
            call("kms.amazonaws.com", "UpdateCustomKeyStore", Kind.CUSTOM_KEY_STORE,
                    List.of(KmsCustomKeyStoreCheck.DEFINITION.id()), STORE_ID));

    /** The EventBridge source of each CloudTrail event source. */
    static final Map<String, String> SOURCES = Map.of("ec2.amazonaws.com", "aws.ec2",
            "elasticfilesystem.amazonaws.com", "aws.elasticfilesystem", "fsx.amazonaws.com", "aws.fsx",
            "s3.amazonaws.com", "aws.s3", "kms.amazonaws.com", "aws.kms");

    /** Id shapes, so that nothing but an id of the right kind reaches an API call or a finding. */
    private static final Map<Kind, Pattern> IDS = Map.of(
            Kind.VOLUME, Pattern.compile("^vol-[0-9a-f]{8,17}$"),
            Kind.SNAPSHOT, Pattern.compile("^snap-[0-9a-f]{8,17}$"),
            Kind.EFS_FILE_SYSTEM, Pattern.compile("^fs-[0-9a-f]{8,40}$"),
            Kind.FSX_FILE_SYSTEM, Pattern.compile("^fs-[0-9a-f]{8,17}$"),
            Kind.FSX_BACKUP, Pattern.compile("^backup-[0-9a-f]{8,17}$"),
            Kind.BUCKET, Pattern.compile("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"),
            Kind.KEY, KEY_REFERENCE,
            Kind.CUSTOM_KEY_STORE, Pattern.compile("^cks-[0-9a-z]{8,32}$"));
    private static final Pattern VOLUME_ARN = Pattern.compile("^arn:aws[a-z-]*:ec2:[a-z0-9-]+:\\d{12}:volume/(vol-[0-9a-f]{8,17})$");
    private static final int KEY_REFERENCE_MAX = 256;

    private ChangeEvents() {}

    private static Map.Entry<String, Call> call(String eventSource, String eventName, Kind kind, List<String> checks,
            List<List<String>> idPaths) {
        return Map.entry(eventSource + " " + eventName, new Call(eventSource, kind, checks, idPaths));
    }

    static boolean handles(String detailType) {
        return VOLUME_NOTIFICATION.equals(detailType) || CLOUDTRAIL.equals(detailType);
    }

    /** The event names per EventBridge source, as the template's rules list them. */
    static Map<String, Set<String>> eventNamesBySource() {
        Map<String, Set<String>> out = new java.util.TreeMap<>();
        CALLS.forEach((key, call) -> out.computeIfAbsent(SOURCES.get(call.source()), s -> new java.util.TreeSet<>())
                .add(key.substring(key.indexOf(' ') + 1)));
        return out;
    }

    /**
     * The resource the event names; empty when it names none to audit (a volume whose creation failed, a call that
     * failed, an event of a kind the audit does not act on).
     *
     * @throws MalformedEventException when the event is not of the shape AWS sends
     */
    static Optional<AuditTarget> target(String detailType, String source, JsonNode detail, List<String> resources) {
        if (!detail.isObject()) {
            throw new MalformedEventException("detail must be an object");
        }
        if (VOLUME_NOTIFICATION.equals(detailType)) {
            if (!"aws.ec2".equals(source)) {
                throw new MalformedEventException("an " + VOLUME_NOTIFICATION + " comes from aws.ec2, not '"
                        + abbreviate(String.valueOf(source)) + "'");
            }
            if (!"createVolume".equals(text(detail, "event")) || !"available".equals(text(detail, "result"))) {
                return Optional.empty();
            }
            String arn = resources.size() == 1 ? resources.get(0) : null;
            var m = arn == null ? null : VOLUME_ARN.matcher(arn);
            if (m == null || !m.matches()) {
                throw new MalformedEventException("a createVolume notification names its volume's ARN as its one "
                        + "resource");
            }
            return Optional.of(new AuditTarget(Kind.VOLUME, m.group(1), List.of(EbsVolumeCheck.DEFINITION.id()),
                    "createVolume"));
        }
        String eventSource = text(detail, "eventSource");
        String eventName = text(detail, "eventName");
        if (eventSource == null || eventName == null) {
            throw new MalformedEventException("a CloudTrail event names its eventSource and eventName");
        }
        Call call = CALLS.get(eventSource + " " + eventName);
        if (call == null || !SOURCES.get(call.source()).equals(source)) {
            throw new MalformedEventException("the storage audit does not act on " + abbreviate(eventSource) + " "
                    + abbreviate(eventName) + " from '" + abbreviate(String.valueOf(source)) + "'");
        }
        if (detail.hasNonNull("errorCode")) {
            // The call failed: nothing changed.
            return Optional.empty();
        }
        String id = null;
        for (List<String> path : call.idPaths()) {
            JsonNode n = detail;
            for (String field : path) {
                n = n.path(field);
            }
            if (n.isTextual()) {
                id = n.asText();
                break;
            }
        }
        if (call.kind() == Kind.EBS_DEFAULTS) {
            id = "";
        } else if (id == null) {
            throw new MalformedEventException(eventName + " names no " + call.kind().name().toLowerCase(
                    java.util.Locale.ROOT).replace('_', ' ') + " where AWS puts it");
        } else if (id.length() > KEY_REFERENCE_MAX || !IDS.get(call.kind()).matcher(id).matches()) {
            throw new MalformedEventException(eventName + " names '" + abbreviate(id) + "', which is not a "
                    + call.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " id");
        }
        return Optional.of(new AuditTarget(call.kind(), id, call.checks(), eventName));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }
}
