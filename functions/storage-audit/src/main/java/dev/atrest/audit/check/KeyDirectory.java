package dev.atrest.audit.check;

import dev.atrest.core.aws.AwsFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KMS keys of one run, shared by every check: KMS is asked (DescribeKey) once per key reference and region,
 * however many volumes, file systems, settings or key checks name the key, and a region's keys are listed (ListKeys)
 * once, however many key checks read them.
 */
public final class KeyDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);

    /** What the directory asks KMS; both throw {@link AwsFailure} when KMS cannot answer. */
    public interface Kms {
        KeyInfo describe(String region, String keyReference);

        /** The ARNs of every key of the account in the region (ListKeys). */
        List<String> keyArns(String region);
    }

    private final Kms kms;
    private final Map<String, Map<String, KeyInfo>> byRegion = new ConcurrentHashMap<>();
    private final Map<String, List<KeyInfo>> inventories = new ConcurrentHashMap<>();

    public KeyDirectory(Kms kms) {
        this.kms = kms;
    }

    /**
     * Who manages {@code keyId} (an id, ARN or alias as a resource names it) in {@code region}; null when there is
     * no key. A key KMS would not describe (denied, not found) is UNKNOWN.
     *
     * @throws AwsFailure RETRYABLE when KMS failed for a moment (see {@link #key})
     */
    public KeyManager manager(String region, String keyId) {
        KeyManager known = KeyManager.fromReference(keyId);
        if (known != KeyManager.UNKNOWN) {
            return known;
        }
        return key(region, keyId).manager();
    }

    /**
     * The key {@code reference} names in {@code region}, described once per run; a key KMS would not describe
     * (denied, not found) comes back {@linkplain KeyInfo#described() undescribed}, with the reason.
     *
     * @throws AwsFailure RETRYABLE when KMS failed for a moment: that says nothing about the key, so the caller's
     *     scope fails instead of reporting (and tagging) a resource as unverifiable; not remembered, so the next
     *     resource asks again
     */
    public KeyInfo key(String region, String reference) {
        // Per region: key ids and aliases are regional, and one region's lookup never waits on another's.
        Map<String, KeyInfo> known = byRegion.computeIfAbsent(region, r -> new ConcurrentHashMap<>());
        // computeIfAbsent: concurrent askers of one key wait for the first answer instead of asking again.
        KeyInfo info = known.computeIfAbsent(reference, ref -> {
            try {
                return kms.describe(region, ref);
            } catch (AwsFailure f) {
                if (f.kind() == AwsFailure.Kind.RETRYABLE) {
                    throw f;
                }
                LOG.warn("cannot describe key {}: {}", ref, f.getMessage());
                return KeyInfo.unreadable(ref, f.getMessage());
            }
        });
        if (info.arn() != null && !info.arn().equals(reference)) {
            // Later askers naming the key by its ARN (the listing does) need not ask again.
            known.putIfAbsent(info.arn(), info);
        }
        return info;
    }

    /**
     * Every key of the account in the region, described: ListKeys once per region and run, DescribeKey once per key.
     *
     * @throws AwsFailure when the keys cannot be listed, or one cannot be described for a moment
     */
    public List<KeyInfo> inventory(String region) {
        // computeIfAbsent: the checks reading one region's keys at once wait for one listing instead of each listing.
        return inventories.computeIfAbsent(region, r -> {
            List<KeyInfo> out = new ArrayList<>();
            for (String arn : kms.keyArns(r)) {
                out.add(key(r, arn));
            }
            return List.copyOf(out);
        });
    }
}
