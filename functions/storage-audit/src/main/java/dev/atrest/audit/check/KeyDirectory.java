package dev.atrest.audit.check;

import dev.atrest.core.aws.AwsFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who manages the KMS keys the run's resources name, shared by every check of one run: KMS is asked (DescribeKey)
 * once per key and region, however many volumes, file systems or settings name the key.
 */
public final class KeyDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);

    /** KMS's answer for one key; throws {@link AwsFailure} when it cannot be read. */
    @FunctionalInterface
    public interface Lookup {
        KeyManager keyManager(String region, String keyId);
    }

    private final Lookup kms;
    private final Map<String, Map<String, KeyManager>> byRegion = new ConcurrentHashMap<>();

    public KeyDirectory(Lookup kms) {
        this.kms = kms;
    }

    /**
     * Who manages {@code keyId} (an id, ARN or alias as a resource names it) in {@code region}; null when there is
     * no key. A key KMS would not describe (denied, not found) is UNKNOWN.
     *
     * @throws AwsFailure RETRYABLE when KMS failed for a moment: that says nothing about the key, so the caller's
     *     scope fails instead of reporting (and tagging) a compliant resource as unverifiable; not remembered, so the
     *     next resource asks again
     */
    public KeyManager manager(String region, String keyId) {
        KeyManager known = KeyManager.fromReference(keyId);
        if (known != KeyManager.UNKNOWN) {
            return known;
        }
        // Per region: key ids and aliases are regional, and one region's lookup never waits on another's.
        return byRegion.computeIfAbsent(region, r -> new ConcurrentHashMap<>()).computeIfAbsent(keyId, k -> {
            try {
                return kms.keyManager(region, k);
            } catch (AwsFailure f) {
                if (f.kind() == AwsFailure.Kind.RETRYABLE) {
                    throw f;
                }
                LOG.warn("cannot tell who manages key {}: {}", k, f.getMessage());
                return KeyManager.UNKNOWN;
            }
        });
    }
}
