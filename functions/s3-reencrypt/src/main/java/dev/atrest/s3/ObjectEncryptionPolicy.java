package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.s3.Decision.Action;
import java.time.Instant;
import java.util.Set;

/**
 * Decides what one object needs. Pure: HeadObject's view and the configuration in, a decision with its reason out.
 * Key ARNs are compared whole, never by substring: "key/abc" must not match "key/abc-other".
 */
public final class ObjectEncryptionPolicy {
    private final String targetKeyArn;
    private final Set<String> compliantKeyArns;
    private final boolean bucketKeyWanted;
    private final ReencryptMethod method;
    private final long multipartThresholdBytes;

    public ObjectEncryptionPolicy(String targetKeyArn, Set<String> compliantKeyArns, boolean bucketKeyWanted,
                                  ReencryptMethod method, long multipartThresholdBytes) {
        this.targetKeyArn = targetKeyArn;
        this.compliantKeyArns = Set.copyOf(compliantKeyArns);
        this.bucketKeyWanted = bucketKeyWanted;
        this.method = method;
        this.multipartThresholdBytes = multipartThresholdBytes;
    }

    public static ObjectEncryptionPolicy of(ReencryptConfig config) {
        return new ObjectEncryptionPolicy(config.targetKeyArn(), config.compliantKeyArns(), config.bucketKeyEnabled(),
                config.method(), config.multipartThresholdBytes());
    }

    public Decision decide(HeadResult head) {
        return decide(head, Instant.now());
    }

    /** @param now when the decision is made: an Object Lock retention that has ended protects nothing */
    public Decision decide(HeadResult head, Instant now) {
        switch (head.presence()) {
            case MISSING:
                return Decision.of(Action.SKIP, "object no longer exists");
            case DELETE_MARKER:
                return Decision.of(Action.SKIP, "the version is a delete marker");
            case CUSTOMER_KEY_REQUIRED:
                return Decision.of(Action.SKIP, "SSE-C object (HeadObject wants the customer's key): S3 holds no key "
                        + "to re-encrypt it with");
            default:
                break;
        }
        ObjectState s = head.state();
        switch (s.encryption()) {
            case SSE_C:
                return Decision.of(Action.SKIP, "SSE-C object: S3 holds no key to re-encrypt it with");
            case DSSE_KMS:
                return Decision.of(Action.SKIP, "DSSE-KMS object: UpdateObjectEncryption rejects it and a copy to "
                        + "SSE-KMS would remove its second encryption layer");
            case UNKNOWN:
                return Decision.of(Action.SKIP, "unknown server-side encryption: left as it is");
            case SSE_KMS:
                if (targetKeyArn.equals(s.kmsKeyId())) {
                    if (!bucketKeyWanted || Boolean.TRUE.equals(s.bucketKeyEnabled())) {
                        return Decision.of(Action.COMPLIANT, "SSE-KMS under the target key");
                    }
                    return reencrypt(s, "SSE-KMS under the target key without an S3 Bucket Key", now);
                }
                if (s.kmsKeyId() != null && compliantKeyArns.contains(s.kmsKeyId())) {
                    return Decision.of(Action.COMPLIANT, "SSE-KMS under an allow-listed key");
                }
                return reencrypt(s, "SSE-KMS under another key (" + s.kmsKeyId() + ")", now);
            case SSE_S3:
                return reencrypt(s, "SSE-S3", now);
            case NONE:
            default:
                return unencrypted(s);
        }
    }

    private Decision reencrypt(ObjectState s, String why, Instant now) {
        if (method == ReencryptMethod.COPY) {
            return copy(s, why);
        }
        if (s.lock().locked(now)) {
            // UpdateObjectEncryption refuses versions under Object Lock: only a new (locked) version can be encrypted.
            String locked = why + " under Object Lock (" + s.lock().describe() + ")";
            if (method == ReencryptMethod.UPDATE) {
                return Decision.of(Action.SKIP, locked + ": UpdateObjectEncryption refuses locked objects and "
                        + "REENCRYPT_METHOD=update never copies");
            }
            return copy(s, locked + ", which UpdateObjectEncryption refuses");
        }
        return Decision.of(Action.UPDATE_ENCRYPTION, why + ": UpdateObjectEncryption");
    }

    private Decision unencrypted(ObjectState s) {
        if (method == ReencryptMethod.UPDATE) {
            return Decision.of(Action.SKIP, "unencrypted: UpdateObjectEncryption does not apply and "
                    + "REENCRYPT_METHOD=update never copies");
        }
        return copy(s, "unencrypted");
    }

    private Decision copy(ObjectState s, String why) {
        if (s.archived()) {
            return Decision.of(Action.SKIP, why + " in archive storage (" + s.storageClass()
                    + (s.archiveStatus() != null ? "/" + s.archiveStatus() : "") + "): a copy would need a restore"
                    + (s.encryption() == Encryption.NONE ? "" : "; REENCRYPT_METHOD=auto would update it in place"));
        }
        if (s.size() > multipartThresholdBytes) {
            return Decision.of(Action.MULTIPART_COPY, why + ": multipart copy (" + s.size() + " bytes)");
        }
        return Decision.of(Action.COPY, why + ": in-place copy");
    }

    /**
     * After UpdateObjectEncryption failed: in {@code auto} mode, copy where the service says the operation does not
     * apply to this object; everything else (access denied, precondition, throttling) is reported, not worked around.
     */
    public Decision afterUpdateRejected(ObjectState s, AwsFailure.Kind failure, String message) {
        // Only objects the policy sends to UpdateObjectEncryption (SSE-S3, SSE-KMS) may fall back to a copy.
        boolean updatable = s.encryption() == Encryption.SSE_S3 || s.encryption() == Encryption.SSE_KMS;
        if (failure == AwsFailure.Kind.UNSUPPORTED && method == ReencryptMethod.AUTO && updatable) {
            return copy(s, "UpdateObjectEncryption not supported here (" + message + ")");
        }
        return null;
    }

    /**
     * A copy writes a new current version: copying a version that is no longer current would bring old content
     * back over a newer write.
     *
     * @param versionToCopy the version a trigger pins, as it names it ("null" for the version written without
     *     versioning); null when it pins none
     * @param currentVersion the current version's id (null for the "null" version)
     */
    public static boolean copyAllowed(String versionToCopy, String currentVersion) {
        return versionToCopy == null || java.util.Objects.equals(S3Gateway.versionOrNull(versionToCopy),
                currentVersion);
    }
}
