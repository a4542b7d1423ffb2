package dev.atrest.audit.check;

/**
 * A resource that depends on a KMS key: data encrypted under it, or a setting that encrypts new data with it. A key
 * scheduled for deletion or disabled makes each of these unreadable (or unwritable).
 *
 * @param keyId the key as the resource names it (key id, key ARN or alias)
 * @param resourceId the dependent resource, as its findings name it
 * @param checkId the check that saw the dependency
 */
public record KeyUse(String region, String keyId, String resourceId, String checkId) {
    public static final FactKind<KeyUse> KIND = new FactKind<>("key-use", KeyUse.class);

    /** Records that resourceId depends on keyId; nothing when the resource names no key. */
    static void share(RunFacts facts, String region, String keyId, String resourceId, String checkId) {
        if (keyId != null) {
            facts.add(KIND, new KeyUse(region, keyId, resourceId, checkId));
        }
    }
}
