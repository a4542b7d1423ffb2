package dev.atrest.s3;

/**
 * One object an event names.
 *
 * @param id where it came from: the Batch Operations task id, or "Records[i]" / the EventBridge event id
 * @param versionId a version the trigger pins (Batch Operations manifests); null means "the current version"
 * @param principal who caused the event, when the event says (S3 notifications' userIdentity.principalId)
 * @param problem why the record cannot be processed (malformed); null when it can
 * @param outOfScope why a well-formed record is not acted on (another account or region); null when it is
 */
public record ObjectTask(String id, String bucket, String key, String versionId, String principal, String problem,
                         String outOfScope) {

    public ObjectTask(String id, String bucket, String key, String versionId, String principal, String problem) {
        this(id, bucket, key, versionId, principal, problem, null);
    }

    static ObjectTask malformed(String id, String problem) {
        return new ObjectTask(id, null, null, null, null, problem);
    }

    ObjectTask withOutOfScope(String reason) {
        return new ObjectTask(id, bucket, key, versionId, principal, problem, reason);
    }

    /** bucket/key@version, as the summary names objects. */
    public String resource() {
        if (bucket == null) {
            return id;
        }
        return bucket + "/" + key + (versionId != null ? "@" + versionId : "");
    }
}
