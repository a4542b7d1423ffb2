package dev.atrest.kms;

import dev.atrest.core.aws.AwsFailure;
import dev.atrest.core.aws.AwsFailure.Kind;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DisabledException;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.InvalidArnException;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.ListResourceTagsResponse;
import software.amazon.awssdk.services.kms.model.MultiRegionConfiguration;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * The only class that speaks KMS: one region's client, SDK types mapped to plain records, SDK exceptions mapped to
 * {@link AwsFailure.Kind}. Retries are the SDK's own (its standard retry strategy), never repeated here.
 */
public final class KmsGateway {
    private final KmsClient kms;
    private final String region;

    public KmsGateway(KmsClient kms, String region) {
        this.kms = kms;
        this.region = region;
    }

    public String region() {
        return region;
    }

    /** DescribeKey accepts a key id, key ARN, alias name or alias ARN. */
    public KeyFacts describe(String keyRef) {
        KeyMetadata meta = call("DescribeKey", () -> kms.describeKey(b -> b.keyId(keyRef)).keyMetadata());
        MultiRegionConfiguration mrk = meta.multiRegionConfiguration();
        return new KeyFacts(meta.arn(), meta.keyId(), region, meta.keyManagerAsString(), meta.keySpecAsString(),
                meta.keyUsageAsString(), meta.originAsString(), meta.keyStateAsString(), meta.customKeyStoreId(),
                mrk == null ? null : mrk.multiRegionKeyTypeAsString(),
                mrk == null || mrk.primaryKey() == null ? null : mrk.primaryKey().arn(),
                mrk == null || mrk.primaryKey() == null ? null : mrk.primaryKey().region());
    }

    /** Rotation operations take a key id or key ARN only; callers pass the ARN from {@link #describe}. */
    public RotationStatus rotationStatus(String keyArn) {
        GetKeyRotationStatusResponse r = call("GetKeyRotationStatus",
                () -> kms.getKeyRotationStatus(b -> b.keyId(keyArn)));
        return new RotationStatus(Boolean.TRUE.equals(r.keyRotationEnabled()), r.rotationPeriodInDays(),
                r.nextRotationDate());
    }

    public Set<String> tagKeys(String keyArn) {
        return call("ListResourceTags", () -> {
            Set<String> keys = new HashSet<>();
            for (ListResourceTagsResponse page : kms.listResourceTagsPaginator(b -> b.keyId(keyArn))) {
                page.tags().stream().map(Tag::tagKey).forEach(keys::add);
            }
            return keys;
        });
    }

    public void enableRotation(String keyArn, int periodDays) {
        call("EnableKeyRotation", () -> kms.enableKeyRotation(b -> b.keyId(keyArn).rotationPeriodInDays(periodDays)));
    }

    /** Every key ARN of the region, page by page (ListKeys paginator with {@code pageSize} as Limit). */
    public void forEachKey(int pageSize, Consumer<String> action) {
        call("ListKeys", () -> {
            kms.listKeysPaginator(b -> b.limit(pageSize)).keys().forEach(k -> action.accept(k.keyArn()));
            return null;
        });
    }

    private static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (AwsFailure e) {
            throw e;
        } catch (NotFoundException e) {
            throw new AwsFailure(Kind.NOT_FOUND, operation, code(e), message(e), e);
        } catch (KmsInvalidStateException | DisabledException e) {
            throw new AwsFailure(Kind.PRECONDITION_FAILED, operation, code(e), message(e), e);
        } catch (software.amazon.awssdk.services.kms.model.UnsupportedOperationException e) {
            throw new AwsFailure(Kind.UNSUPPORTED, operation, code(e), message(e), e);
        } catch (InvalidArnException e) {
            throw new AwsFailure(Kind.INVALID, operation, code(e), message(e), e);
        } catch (AwsServiceException e) {
            throw new AwsFailure(classify(e), operation, code(e), message(e), e);
        } catch (SdkClientException e) {
            throw new AwsFailure(Kind.RETRYABLE, operation, null, String.valueOf(e.getMessage()), e);
        } catch (SdkException e) {
            throw new AwsFailure(e.retryable() ? Kind.RETRYABLE : Kind.INVALID, operation, null,
                    String.valueOf(e.getMessage()), e);
        }
    }

    private static Kind classify(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
        if (code.startsWith("AccessDenied") || e.statusCode() == 403) {
            return Kind.ACCESS_DENIED;
        }
        if (e.isThrottlingException() || e.statusCode() >= 500 || e.retryable()) {
            return Kind.RETRYABLE;
        }
        return Kind.INVALID;
    }

    private static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static String message(AwsServiceException e) {
        if (e.awsErrorDetails() == null) {
            return String.valueOf(e.getMessage());
        }
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }
}
