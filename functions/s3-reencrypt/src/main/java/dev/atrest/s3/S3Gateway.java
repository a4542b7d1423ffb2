package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.s3.HeadResult.Presence;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The only class that talks to S3. Maps SDK responses to plain records ({@link ObjectState}, {@link ObjectAcl},
 * {@link VersionOrder.Entry}, {@link AbandonedUploads.Upload}) and SDK exceptions to {@link AwsFailure} kinds;
 * retries are the SDK's own retry strategy, never repeated here. Every write is conditional: a copy on the ETag it
 * read (and a restore also on the ETag of the version it writes over), CompleteMultipartUpload on If-Match.
 */
public class S3Gateway {
    private final S3Client s3;
    /** The function's own account: every request names it as the expected bucket owner (S3 answers 403 otherwise). */
    private final String owner;

    public S3Gateway(S3Client s3, String owner) {
        this.s3 = s3;
        this.owner = owner;
    }

    /**
     * What a write created: its version id (null without versioning), ETag and, when S3 says, LastModified and the
     * encryption S3 answered it was stored with.
     */
    public record Written(String versionId, String etag, Instant lastModified, String sse, String kmsKeyId) {

        /** True when S3 answered that the write is SSE-KMS under {@code keyArn}. */
        boolean encryptedWith(String keyArn) {
            return "aws:kms".equals(sse) && keyArn.equals(kmsKeyId);
        }
    }

    /** The parts of a multipart copy, as CompleteMultipartUpload needs them. */
    public record CopiedParts(List<CompletedPart> parts) {}

    /** How an AbortMultipartUpload ended. */
    public enum Abort {
        ABORTED,
        /** NoSuchUpload: the upload no longer exists (completed, or aborted before). */
        GONE,
        /** Still there after every attempt. */
        FAILED
    }

    /** HeadObject of the named version (the current one when {@code versionId} is null). One request. */
    public HeadResult head(String bucket, String key, String versionId) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId)
                    .checksumMode(ChecksumMode.ENABLED).expectedBucketOwner(owner));
            return HeadResult.present(state(bucket, key, r));
        } catch (S3Exception e) {
            Optional<Presence> absent = absence(e);
            if (absent.isPresent()) {
                return HeadResult.absent(absent.get());
            }
            if (e.statusCode() == 400) {
                return afterBadRequest(bucket, key, versionId);
            }
            throw failure("HeadObject", e);
        } catch (SdkException e) {
            throw failure("HeadObject", e);
        }
    }

    private static Optional<Presence> absence(S3Exception e) {
        boolean deleteMarker = e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null
                && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")
                .map("true"::equalsIgnoreCase).orElse(false);
        if (deleteMarker && (e.statusCode() == 404 || e.statusCode() == 405)) {
            return Optional.of(Presence.DELETE_MARKER);
        }
        if (e.statusCode() == 404) {
            return Optional.of(Presence.MISSING);
        }
        return Optional.empty();
    }

    /**
     * HEAD answers carry no body, so a 400 names no error code: it is S3 asking for an SSE-C object's key, or a
     * request S3 refuses (a malformed version id, say). The same object's tags, readable without the customer key,
     * tell them apart with an error code: found means the object exists and wants its key; otherwise the code says
     * what is wrong. One more request, on this path only.
     */
    private HeadResult afterBadRequest(String bucket, String key, String versionId) {
        try {
            s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId).expectedBucketOwner(owner));
            return HeadResult.absent(Presence.CUSTOMER_KEY_REQUIRED);
        } catch (S3Exception e) {
            Optional<Presence> absent = absence(e);
            if (absent.isPresent()) {
                return HeadResult.absent(absent.get());
            }
            throw failure("HeadObject (400 without a body; GetObjectTagging of the same object)", e);
        } catch (SdkException e) {
            throw failure("HeadObject (400 without a body; GetObjectTagging of the same object)", e);
        }
    }

    static ObjectState state(String bucket, String key, HeadObjectResponse r) {
        String[][] checksums = {
            {"CRC64NVME", r.checksumCRC64NVME()}, {"CRC32", r.checksumCRC32()}, {"CRC32C", r.checksumCRC32C()},
            {"SHA1", r.checksumSHA1()}, {"SHA256", r.checksumSHA256()}, {"SHA512", r.checksumSHA512()},
            {"MD5", r.checksumMD5()}, {"XXHASH64", r.checksumXXHASH64()}, {"XXHASH3", r.checksumXXHASH3()},
            {"XXHASH128", r.checksumXXHASH128()},
        };
        String algorithm = null;
        String value = null;
        for (String[] c : checksums) {
            if (c[1] != null) {
                algorithm = c[0];
                value = c[1];
                break;
            }
        }
        ObjectLock lock = new ObjectLock(r.objectLockModeAsString(), r.objectLockRetainUntilDate(),
                "ON".equals(r.objectLockLegalHoldStatusAsString()), "ON".equals(r.objectLockEventHoldAsString()));
        Set<String> undecodable = new TreeSet<>();
        if (r.expiresString() != null && r.expires() == null) {
            // S3 keeps an Expires value that is not a date; the SDK can only write dates back.
            undecodable.add("Expires");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        r.metadata().forEach((k, v) -> metadata.put(text("x-amz-meta-" + k, k, undecodable),
                text("x-amz-meta-" + k, v, undecodable)));
        return new ObjectState(bucket, key, versionOrNull(r.versionId()),
                Encryption.fromHeaders(r.serverSideEncryptionAsString(), r.sseCustomerAlgorithm()),
                r.ssekmsKeyId(), r.bucketKeyEnabled(), r.storageClassAsString(), r.archiveStatusAsString(),
                r.contentLength() == null ? 0L : r.contentLength(), r.eTag(), r.lastModified(), algorithm, value,
                r.checksumTypeAsString(), r.tagCount() == null ? 0 : r.tagCount(),
                new ObjectState.ContentHeaders(text("Content-Type", r.contentType(), undecodable),
                        text("Content-Encoding", r.contentEncoding(), undecodable),
                        text("Content-Language", r.contentLanguage(), undecodable),
                        text("Content-Disposition", r.contentDisposition(), undecodable),
                        text("Cache-Control", r.cacheControl(), undecodable), r.expires()),
                metadata, text("x-amz-website-redirect-location", r.websiteRedirectLocation(), undecodable), lock,
                undecodable);
    }

    /** The header's value as S3 holds it (see {@link HeaderText}); the raw reading, named, when that cannot be. */
    private static String text(String header, String value, Set<String> undecodable) {
        try {
            return HeaderText.decode(value);
        } catch (HeaderText.NotUtf8 e) {
            undecodable.add(header);
            return value;
        }
    }

    /** UpdateObjectEncryption of exactly the version HeadObject saw. One request, no data moved. */
    public void updateEncryption(ObjectState s, String keyArn, boolean bucketKey) {
        try {
            s3.updateObjectEncryption(b -> b.bucket(s.bucket()).key(s.key()).versionId(s.versionId()).expectedBucketOwner(owner)
                    .objectEncryption(o -> o.ssekms(k -> k.kmsKeyArn(keyArn).bucketKeyEnabled(bucketKey))));
        } catch (SdkException e) {
            throw failure("UpdateObjectEncryption", e);
        }
    }

    /** GetObjectAcl of the named version (the current one when {@code versionId} is null). One request. */
    public ObjectAcl acl(String bucket, String key, String versionId) {
        try {
            GetObjectAclResponse r = s3.getObjectAcl(b -> b.bucket(bucket).key(key).versionId(versionId)
                    .expectedBucketOwner(owner));
            List<ObjectAcl.Grant> grants = new ArrayList<>();
            for (var g : r.grants()) {
                grants.add(grant(g.grantee(), g.permissionAsString()));
            }
            return new ObjectAcl(r.owner() == null ? null : r.owner().id(), grants);
        } catch (SdkException e) {
            throw failure("GetObjectAcl", e);
        }
    }

    private static ObjectAcl.Grant grant(Grantee g, String permission) {
        String type = g.typeAsString();
        if ("CanonicalUser".equals(type)) {
            return new ObjectAcl.Grant("id", g.id(), permission);
        }
        if ("Group".equals(type)) {
            return new ObjectAcl.Grant("uri", g.uri(), permission);
        }
        if ("AmazonCustomerByEmail".equals(type)) {
            return new ObjectAcl.Grant("emailAddress", g.emailAddress(), permission);
        }
        return new ObjectAcl.Grant(String.valueOf(type), g.id() != null ? g.id() : g.uri(), permission);
    }

    /** The bucket owner's canonical id (GetBucketAcl). One request. */
    public String bucketOwner(String bucket) {
        try {
            var acl = s3.getBucketAcl(b -> b.bucket(bucket).expectedBucketOwner(owner));
            return acl.owner() == null ? null : acl.owner().id();
        } catch (SdkException e) {
            throw failure("GetBucketAcl", e);
        }
    }

    /** The version's tags, in S3's order. One request. */
    public Map<String, String> tags(String bucket, String key, String versionId) {
        try {
            Map<String, String> out = new LinkedHashMap<>();
            s3.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId).expectedBucketOwner(owner)).tagSet()
                    .forEach(t -> out.put(t.key(), t.value()));
            return out;
        } catch (SdkException e) {
            throw failure("GetObjectTagging", e);
        }
    }

    /**
     * In-place CopyObject of {@code s}, only if the copied object still has the ETag that was read: a write made
     * meanwhile is never replaced by older content. Metadata, system metadata, tags and the checksum are copied by S3
     * (COPY directives); storage class, website redirect, ACL grants and Object Lock settings are set from the plan.
     * One request.
     *
     * @param pinVersion copy exactly the version {@code s} names (a restore), instead of the current object
     * @param destinationIfMatch the ETag the object written over must still have (If-Match), or null
     */
    public Written copyObject(ObjectState s, boolean pinVersion, CopyPlan plan, String keyArn, boolean bucketKey,
                              String destinationIfMatch) {
        try {
            CopyObjectRequest.Builder b = CopyObjectRequest.builder()
                    .sourceBucket(s.bucket()).sourceKey(s.key()).sourceVersionId(pinVersion ? s.versionId() : null)
                    .destinationBucket(s.bucket()).destinationKey(s.key())
                    .expectedBucketOwner(owner).expectedSourceBucketOwner(owner)
                    .copySourceIfMatch(s.etag())
                    .ifMatch(destinationIfMatch)
                    .metadataDirective(MetadataDirective.COPY)
                    .taggingDirective(TaggingDirective.COPY)
                    .storageClass(s.storageClass())
                    .websiteRedirectLocation(s.website())
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn)
                    .bucketKeyEnabled(bucketKey);
            if (plan.grants() != null) {
                Map<String, String> g = plan.grants().headers();
                b.grantFullControl(g.get("FULL_CONTROL")).grantRead(g.get("READ")).grantReadACP(g.get("READ_ACP"))
                        .grantWriteACP(g.get("WRITE_ACP"));
            }
            ObjectLock lock = plan.lock();
            if (lock.mode() != null) {
                b.objectLockMode(lock.mode()).objectLockRetainUntilDate(lock.retainUntil());
            }
            if (lock.legalHold()) {
                b.objectLockLegalHoldStatus("ON");
            }
            CopyObjectResponse r = s3.copyObject(b.build());
            return new Written(versionOrNull(r.versionId()),
                    r.copyObjectResult() == null ? null : r.copyObjectResult().eTag(),
                    r.copyObjectResult() == null ? null : r.copyObjectResult().lastModified(),
                    r.serverSideEncryptionAsString(), r.ssekmsKeyId());
        } catch (SdkException e) {
            throw failure("CopyObject", e);
        }
    }

    /**
     * CreateMultipartUpload for an in-place multipart copy of {@code s}. A multipart upload takes no COPY directive:
     * every property the new version must have is given here (metadata, system metadata, tags, storage class,
     * website redirect, ACL grants, Object Lock settings, and a whole-object CRC checksum of the source's
     * algorithm). One request.
     */
    public String createUpload(ObjectState s, CopyPlan plan, String keyArn, boolean bucketKey) {
        try {
            CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                    .bucket(s.bucket()).key(s.key()).expectedBucketOwner(owner)
                    .contentType(s.headers().contentType())
                    .contentEncoding(s.headers().contentEncoding())
                    .contentLanguage(s.headers().contentLanguage())
                    .contentDisposition(s.headers().contentDisposition())
                    .cacheControl(s.headers().cacheControl())
                    .expires(s.headers().expires())
                    .metadata(s.metadata())
                    .storageClass(s.storageClass())
                    .websiteRedirectLocation(s.website())
                    .tagging(plan.tags() == null || plan.tags().isEmpty() ? null : plan.tags().entrySet().stream()
                            .map(t -> SdkHttpUtils.urlEncode(t.getKey()) + "=" + SdkHttpUtils.urlEncode(t.getValue()))
                            .collect(Collectors.joining("&")))
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn)
                    .bucketKeyEnabled(bucketKey);
            if (plan.uploadChecksumAlgorithm() != null) {
                create.checksumAlgorithm(plan.uploadChecksumAlgorithm()).checksumType(ChecksumType.FULL_OBJECT);
            }
            if (plan.grants() != null) {
                Map<String, String> g = plan.grants().headers();
                create.grantFullControl(g.get("FULL_CONTROL")).grantRead(g.get("READ"))
                        .grantReadACP(g.get("READ_ACP")).grantWriteACP(g.get("WRITE_ACP"));
            }
            ObjectLock lock = plan.lock();
            if (lock.mode() != null) {
                create.objectLockMode(lock.mode()).objectLockRetainUntilDate(lock.retainUntil());
            }
            if (lock.legalHold()) {
                create.objectLockLegalHoldStatus("ON");
            }
            return s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload", e);
        }
    }

    /**
     * UploadPartCopy of every range of {@code s}, each conditioned on the ETag that was read. One request per part.
     *
     * @param pinVersion copy exactly the version {@code s} names (a restore), instead of the current object
     */
    public CopiedParts copyParts(ObjectState s, boolean pinVersion, String uploadId, long partSize, CopyPlan plan) {
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long start = 0; start < s.size(); start += partSize, partNumber++) {
                long end = Math.min(start + partSize, s.size()) - 1;
                int n = partNumber;
                String range = "bytes=" + start + "-" + end;
                CopyPartResult copied = s3.uploadPartCopy(b -> b.sourceBucket(s.bucket()).sourceKey(s.key())
                        .sourceVersionId(pinVersion ? s.versionId() : null)
                        .destinationBucket(s.bucket()).destinationKey(s.key())
                        .uploadId(uploadId).partNumber(n).copySourceRange(range)
                        .expectedBucketOwner(owner).expectedSourceBucketOwner(owner)
                        .copySourceIfMatch(s.etag())).copyPartResult();
                CompletedPart.Builder part = CompletedPart.builder().partNumber(n).eTag(copied.eTag());
                if (plan.uploadChecksumAlgorithm() != null) {
                    switch (plan.uploadChecksumAlgorithm()) {
                        case "CRC32" -> part.checksumCRC32(copied.checksumCRC32());
                        case "CRC32C" -> part.checksumCRC32C(copied.checksumCRC32C());
                        default -> part.checksumCRC64NVME(copied.checksumCRC64NVME());
                    }
                }
                parts.add(part.build());
            }
            return new CopiedParts(parts);
        } catch (SdkException e) {
            throw failure("UploadPartCopy", e);
        }
    }

    /**
     * CompleteMultipartUpload, only if the object written over still has the ETag {@code ifMatch}; with a
     * whole-object CRC, S3 checks the assembled copy against the source's value. One request.
     */
    public Written complete(ObjectState s, String uploadId, CopiedParts parts, CopyPlan plan, String ifMatch) {
        try {
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(s.bucket()).key(s.key()).uploadId(uploadId).expectedBucketOwner(owner)
                    .ifMatch(ifMatch)
                    .multipartUpload(u -> u.parts(parts.parts()));
            if (plan.uploadChecksumAlgorithm() != null) {
                complete.checksumType(ChecksumType.FULL_OBJECT);
                switch (plan.uploadChecksumAlgorithm()) {
                    case "CRC32" -> complete.checksumCRC32(s.checksumValue());
                    case "CRC32C" -> complete.checksumCRC32C(s.checksumValue());
                    default -> complete.checksumCRC64NVME(s.checksumValue());
                }
            }
            var completed = s3.completeMultipartUpload(complete.build());
            return new Written(versionOrNull(completed.versionId()), completed.eTag(), null,
                    completed.serverSideEncryptionAsString(), completed.ssekmsKeyId());
        } catch (SdkException e) {
            throw failure("CompleteMultipartUpload", e);
        }
    }

    /** Attempts at AbortMultipartUpload, each with the SDK's own retries: a failed copy must not leave parts. */
    static final int ABORT_ATTEMPTS = 4;

    public Abort abort(String bucket, String key, String uploadId) {
        for (int attempt = 1; attempt <= ABORT_ATTEMPTS; attempt++) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).expectedBucketOwner(owner));
                return Abort.ABORTED;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Abort.GONE;
                }
                if (e.statusCode() < 500 && e.statusCode() != 429 && !e.isThrottlingException()) {
                    return Abort.FAILED; // access denied and the like: another attempt will not help
                }
            } catch (SdkException e) {
                // network: try again
            }
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Abort.FAILED;
            }
        }
        return Abort.FAILED;
    }

    /** The multipart uploads in progress for exactly {@code key} (one page of ListMultipartUploads). */
    public List<AbandonedUploads.Upload> uploads(String bucket, String key) {
        try {
            return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key).expectedBucketOwner(owner)).uploads().stream()
                    .filter(u -> key.equals(u.key()))
                    .map(u -> new AbandonedUploads.Upload(u.key(), u.uploadId(),
                            u.initiator() == null ? null : u.initiator().id(), u.initiated()))
                    .toList();
        } catch (SdkException e) {
            throw failure("ListMultipartUploads", e);
        }
    }

    /**
     * The two newest entries of {@code key} (versions and delete markers), newest first, from one
     * ListObjectVersions request: the key itself sorts before every longer key it prefixes, and S3 lists a key's
     * entries newest first.
     */
    public List<VersionOrder.Entry> newestVersions(String bucket, String key) {
        try {
            ListObjectVersionsResponse r = s3.listObjectVersions(b -> b.bucket(bucket).prefix(key).maxKeys(2)
                    .expectedBucketOwner(owner));
            List<VersionOrder.Entry> latest = new ArrayList<>();
            List<VersionOrder.Entry> older = new ArrayList<>();
            r.versions().stream().filter(v -> key.equals(v.key())).forEach(v ->
                    (Boolean.TRUE.equals(v.isLatest()) ? latest : older)
                            .add(new VersionOrder.Entry(versionOrNull(v.versionId()), false)));
            r.deleteMarkers().stream().filter(m -> key.equals(m.key())).forEach(m ->
                    (Boolean.TRUE.equals(m.isLatest()) ? latest : older)
                            .add(new VersionOrder.Entry(versionOrNull(m.versionId()), true)));
            latest.addAll(older);
            return latest;
        } catch (SdkException e) {
            throw failure("ListObjectVersions", e);
        }
    }

    /**
     * A bucket's Region (GetBucketLocation: no constraint is us-east-1, the legacy "EU" eu-west-1) and tags
     * (GetBucketTagging; a bucket without tags answers NoSuchTagSet). Two requests, for the all-but-opted-out scope.
     */
    public BucketFacts bucketFacts(String bucket) {
        String region;
        try {
            String constraint = s3.getBucketLocation(b -> b.bucket(bucket).expectedBucketOwner(owner))
                    .locationConstraintAsString();
            region = constraint == null || constraint.isEmpty() ? "us-east-1"
                    : "EU".equals(constraint) ? "eu-west-1" : constraint;
        } catch (SdkException e) {
            throw failure("GetBucketLocation", e);
        }
        Map<String, String> tags = new LinkedHashMap<>();
        try {
            s3.getBucketTagging(b -> b.bucket(bucket).expectedBucketOwner(owner)).tagSet()
                    .forEach(t -> tags.put(t.key(), t.value()));
        } catch (S3Exception e) {
            if (!"NoSuchTagSet".equals(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode())) {
                throw failure("GetBucketTagging", e);
            }
        } catch (SdkException e) {
            throw failure("GetBucketTagging", e);
        }
        return new BucketFacts(region, tags);
    }

    /** What the all-but-opted-out scope needs to know of a bucket. */
    public record BucketFacts(String region, Map<String, String> tags) {}

    /** Unversioned buckets answer "null" (or nothing): either way there is no version to name. */
    static String versionOrNull(String versionId) {
        return versionId == null || versionId.isBlank() || "null".equals(versionId) ? null : versionId;
    }

    /**
     * S3's own meaning of some answers: an archived object (or one in a state that forbids the call) cannot take the
     * operation, and a 409 conflict (a concurrent operation on the same object) may pass on a later try.
     */
    static final AwsFailure.ServiceErrors ERRORS = (code, status) ->
            "ObjectNotInActiveTierError".equals(code) || "InvalidObjectState".equals(code)
                    ? Optional.of(AwsFailure.Kind.UNSUPPORTED)
                    : status == 409 ? Optional.of(AwsFailure.Kind.RETRYABLE) : Optional.empty();

    static AwsFailure failure(String operation, SdkException e) {
        return AwsFailure.map(operation, ERRORS, e);
    }
}
