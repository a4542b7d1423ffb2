package dev.atrest.s3;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.s3.HeadResult.Presence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.TaggingDirective;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The only class that talks to S3. Maps SDK responses to {@link ObjectState} and SDK exceptions to
 * {@link AwsFailure} kinds; retries are the SDK's own retry strategy, never repeated here.
 */
public class S3Gateway {
    private final S3Client s3;

    public S3Gateway(S3Client s3) {
        this.s3 = s3;
    }

    /** What a copy wrote: the new version id (null for unversioned buckets) and the ETag S3 returned for it. */
    public record Written(String versionId, String etag) {}

    /** HeadObject of the named version (the current one when {@code versionId} is null). One request. */
    public HeadResult head(String bucket, String key, String versionId) {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(key).versionId(versionId)
                    .checksumMode(ChecksumMode.ENABLED));
            return HeadResult.present(state(bucket, key, r));
        } catch (S3Exception e) {
            boolean deleteMarker = e.awsErrorDetails() != null && e.awsErrorDetails().sdkHttpResponse() != null
                    && e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker")
                    .map("true"::equalsIgnoreCase).orElse(false);
            if (deleteMarker && (e.statusCode() == 404 || e.statusCode() == 405)) {
                return HeadResult.absent(Presence.DELETE_MARKER);
            }
            if (e.statusCode() == 404) {
                return HeadResult.absent(Presence.MISSING);
            }
            if (e.statusCode() == 400) {
                // HEAD has no error body; for an existing object S3 answers 400 when it wants the SSE-C key.
                return HeadResult.absent(Presence.CUSTOMER_KEY_REQUIRED);
            }
            throw failure("HeadObject", e);
        } catch (SdkException e) {
            throw failure("HeadObject", e);
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
        return new ObjectState(bucket, key, versionOrNull(r.versionId()),
                Encryption.fromHeaders(r.serverSideEncryptionAsString(), r.sseCustomerAlgorithm()),
                r.ssekmsKeyId(), r.bucketKeyEnabled(), r.storageClassAsString(), r.archiveStatusAsString(),
                r.contentLength() == null ? 0L : r.contentLength(), r.eTag(), r.lastModified(), algorithm, value, r.checksumTypeAsString(),
                r.tagCount() == null ? 0 : r.tagCount(),
                new ObjectState.ContentHeaders(r.contentType(), r.contentEncoding(), r.contentLanguage(),
                        r.contentDisposition(), r.cacheControl(), r.expires()),
                r.metadata(), r.websiteRedirectLocation());
    }

    /** UpdateObjectEncryption of exactly the version HeadObject saw. One request, no data moved. */
    public void updateEncryption(ObjectState s, String keyArn, boolean bucketKey) {
        try {
            s3.updateObjectEncryption(b -> b.bucket(s.bucket()).key(s.key()).versionId(s.versionId())
                    .objectEncryption(o -> o.ssekms(k -> k.kmsKeyArn(keyArn).bucketKeyEnabled(bucketKey))));
        } catch (SdkException e) {
            throw failure("UpdateObjectEncryption", e);
        }
    }

    /**
     * In-place CopyObject, only if the current object still has the ETag HeadObject saw: a newer write is never
     * replaced by older content. Metadata, system metadata, tags and the checksum algorithm are copied by S3
     * (COPY directives); the storage class and website redirect are not, so they are set again. One request.
     *
     * @return the new version id (null for unversioned buckets) and ETag
     */
    public Written copyInPlace(ObjectState s, String keyArn, boolean bucketKey) {
        try {
            CopyObjectResponse r = s3.copyObject(b -> b.sourceBucket(s.bucket()).sourceKey(s.key())
                    .destinationBucket(s.bucket()).destinationKey(s.key())
                    .copySourceIfMatch(s.etag())
                    .metadataDirective(MetadataDirective.COPY)
                    .taggingDirective(TaggingDirective.COPY)
                    .storageClass(s.storageClass())
                    .websiteRedirectLocation(s.website())
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn)
                    .bucketKeyEnabled(bucketKey));
            return new Written(versionOrNull(r.versionId()),
                    r.copyObjectResult() == null ? null : r.copyObjectResult().eTag());
        } catch (SdkException e) {
            throw failure("CopyObject", e);
        }
    }

    /**
     * In-place multipart copy for objects over CopyObject's size limit: every UploadPartCopy is conditioned on the
     * ETag HeadObject saw, and so is CompleteMultipartUpload (If-Match), so a write made meanwhile survives. A
     * multipart upload takes no COPY directives, so metadata, system metadata, tags (one GetObjectTagging when the
     * object has any), storage class, website redirect and a whole-object CRC checksum are set explicitly. The
     * upload is aborted on any failure.
     *
     * @return the new version id (null for unversioned buckets) and ETag
     */
    public Written multipartCopy(ObjectState s, String keyArn, boolean bucketKey, long partSize) {
        String tagging = s.tagCount() > 0 ? tagging(s) : null;
        // A whole-object CRC is kept, and S3 checks the assembled copy against the value read before copying.
        boolean fullObjectCrc = s.fullObjectCrc();
        String uploadId;
        try {
            CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                    .bucket(s.bucket()).key(s.key())
                    .contentType(s.headers().contentType())
                    .contentEncoding(s.headers().contentEncoding())
                    .contentLanguage(s.headers().contentLanguage())
                    .contentDisposition(s.headers().contentDisposition())
                    .cacheControl(s.headers().cacheControl())
                    .expires(s.headers().expires())
                    .metadata(s.metadata())
                    .storageClass(s.storageClass())
                    .websiteRedirectLocation(s.website())
                    .tagging(tagging)
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyArn)
                    .bucketKeyEnabled(bucketKey);
            if (fullObjectCrc) {
                create.checksumAlgorithm(s.checksumAlgorithm()).checksumType(ChecksumType.FULL_OBJECT);
            }
            uploadId = s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException e) {
            throw failure("CreateMultipartUpload", e);
        }
        String operation = "UploadPartCopy";
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (long start = 0; start < s.size(); start += partSize, partNumber++) {
                long end = Math.min(start + partSize, s.size()) - 1;
                int n = partNumber;
                String range = "bytes=" + start + "-" + end;
                CopyPartResult copied = s3.uploadPartCopy(b -> b.sourceBucket(s.bucket()).sourceKey(s.key())
                        .destinationBucket(s.bucket()).destinationKey(s.key())
                        .uploadId(uploadId).partNumber(n).copySourceRange(range)
                        .copySourceIfMatch(s.etag())).copyPartResult();
                CompletedPart.Builder part = CompletedPart.builder().partNumber(n).eTag(copied.eTag());
                if (fullObjectCrc) {
                    switch (s.checksumAlgorithm()) {
                        case "CRC32" -> part.checksumCRC32(copied.checksumCRC32());
                        case "CRC32C" -> part.checksumCRC32C(copied.checksumCRC32C());
                        default -> part.checksumCRC64NVME(copied.checksumCRC64NVME());
                    }
                }
                parts.add(part.build());
            }
            operation = "CompleteMultipartUpload";
            CompleteMultipartUploadRequest.Builder complete = CompleteMultipartUploadRequest.builder()
                    .bucket(s.bucket()).key(s.key()).uploadId(uploadId)
                    .ifMatch(s.etag())
                    .multipartUpload(u -> u.parts(parts));
            if (fullObjectCrc) {
                complete.checksumType(ChecksumType.FULL_OBJECT);
                switch (s.checksumAlgorithm()) {
                    case "CRC32" -> complete.checksumCRC32(s.checksumValue());
                    case "CRC32C" -> complete.checksumCRC32C(s.checksumValue());
                    default -> complete.checksumCRC64NVME(s.checksumValue());
                }
            }
            var completed = s3.completeMultipartUpload(complete.build());
            return new Written(versionOrNull(completed.versionId()), completed.eTag());
        } catch (SdkException e) {
            abort(s, uploadId);
            throw failure(operation, e);
        } catch (RuntimeException e) {
            abort(s, uploadId);
            throw e;
        }
    }

    private String tagging(ObjectState s) {
        try {
            return s3.getObjectTagging(b -> b.bucket(s.bucket()).key(s.key()).versionId(s.versionId())).tagSet()
                    .stream()
                    .map(t -> SdkHttpUtils.urlEncode(t.key()) + "=" + SdkHttpUtils.urlEncode(t.value()))
                    .collect(Collectors.joining("&"));
        } catch (SdkException e) {
            throw failure("GetObjectTagging", e);
        }
    }

    /** Attempts at AbortMultipartUpload, each with the SDK's own retries: a failed copy must not leave parts. */
    static final int ABORT_ATTEMPTS = 4;

    private void abort(ObjectState s, String uploadId) {
        for (int attempt = 1; attempt <= ABORT_ATTEMPTS; attempt++) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(s.bucket()).key(s.key()).uploadId(uploadId));
                return;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return; // NoSuchUpload: already gone
                }
                if (e.statusCode() < 500 && e.statusCode() != 429 && !e.isThrottlingException()) {
                    break; // access denied and the like: another attempt will not help
                }
            } catch (SdkException e) {
                // network: try again
            }
            try {
                Thread.sleep(100L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Best effort beyond this: a lifecycle rule for incomplete uploads is the backstop. The original failure is
        // the one reported.
    }

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
