package dev.atrest.audit.check;

import java.time.Instant;

/**
 * A KMS key as DescribeKey gives it, read once per key and region in a run ({@link KeyDirectory}).
 *
 * @param reference the key as the asker named it (key id, key ARN, alias name or alias ARN)
 * @param arn the key's ARN; null when the key could not be described
 * @param state KMS {@code KeyState} (Enabled, Disabled, PendingDeletion, PendingImport, ...); null when unknown
 * @param deletionDate when a PendingDeletion key is deleted; null otherwise
 * @param validTo when expiring imported key material is deleted; null when the material does not expire
 * @param customKeyStoreId the custom key store the key is in; null for keys in KMS's own store
 * @param failure why the key could not be described (denied, not found); null when it was
 */
public record KeyInfo(String reference, String arn, KeyManager manager, String state, Instant deletionDate,
        Instant validTo, String customKeyStoreId, String failure) {

    public static KeyInfo unreadable(String reference, String failure) {
        return new KeyInfo(reference, null, KeyManager.UNKNOWN, null, null, null, null, failure);
    }

    public boolean described() {
        return failure == null;
    }

    public boolean enabled() {
        return "Enabled".equals(state);
    }
}
