package dev.atrest.core.config;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import dev.atrest.core.aws.Arns;
import java.util.function.Function;

/**
 * The target key, checked once at init: the functions re-encrypt objects with it, and UpdateObjectEncryption only
 * takes a key owned by the bucket owner's account. A key ARN that is well formed but names another account, another
 * Region, a key that does not exist, an AWS managed key, an asymmetric or HMAC key, or a key that is not enabled would
 * otherwise be accepted, and a dry run would report "would re-encrypt" for writes that can only fail.
 *
 * <p>The decision ({@link #refusal}) is pure; the DescribeKey behind {@link Facts} is the function's own KMS gateway.
 * One DescribeKey at init, whether the variable names the key or an alias (SnapStart takes init off the restore path).
 */
public final class TargetKey {
    /** The variable every refusal names. */
    public static final String VARIABLE = "TARGET_KMS_KEY_ARN";

    private TargetKey() {}

    /**
     * What DescribeKey says of a key.
     *
     * @param arn the key's ARN (DescribeKey answers it whether it was asked by key or by alias)
     * @param keyManager CUSTOMER or AWS
     * @param keySpec SYMMETRIC_DEFAULT, RSA_2048, HMAC_256...
     * @param keyUsage ENCRYPT_DECRYPT, SIGN_VERIFY, GENERATE_VERIFY_MAC...
     * @param keyState Enabled, Disabled, PendingDeletion, PendingImport, Unavailable...
     */
    public record Facts(String arn, String keyManager, String keySpec, String keyUsage, String keyState) {}

    /**
     * Resolves {@code reference} (a key ARN or an alias ARN) with {@code describe} and returns the key's ARN, or throws
     * a {@link ConfigException} naming {@link #VARIABLE} and the reason.
     *
     * @param account the function's own account (the template passes it: Lambda names none before an invocation)
     * @param region the function's Region (AWS_REGION)
     */
    public static String resolve(String reference, String account, String region, Function<String, Facts> describe) {
        Facts facts;
        try {
            facts = describe.apply(reference);
        } catch (RuntimeException e) {
            throw new ConfigException(VARIABLE + "='" + abbreviate(reference) + "' could not be described with "
                    + "kms:DescribeKey (a key that does not exist, or one this function may not use): "
                    + abbreviate(String.valueOf(e.getMessage())));
        }
        String refusal = refusal(facts, account, region);
        if (refusal != null) {
            throw new ConfigException(VARIABLE + "='" + abbreviate(reference) + "' is refused: " + refusal);
        }
        return facts.arn();
    }

    /** Why the key cannot be the target, or null when it can. */
    public static String refusal(Facts k, String account, String region) {
        if (k == null || k.arn() == null || !ConfigLoader.KMS_KEY_ARN.matcher(k.arn()).matches()) {
            return "DescribeKey did not answer a key ARN (" + (k == null ? null : abbreviate(k.arn())) + ")";
        }
        String keyAccount = Arns.account(k.arn());
        if (!keyAccount.equals(account)) {
            return "the key " + k.arn() + " belongs to account " + keyAccount + ", not to this function's account "
                    + account + " (UpdateObjectEncryption takes only keys of the bucket owner's account)";
        }
        String keyRegion = Arns.region(k.arn());
        if (!keyRegion.equals(region)) {
            return "the key " + k.arn() + " is in " + keyRegion + ", not in this function's Region " + region
                    + " (SSE-KMS uses a key of the bucket's Region)";
        }
        if (!"CUSTOMER".equals(k.keyManager())) {
            return "the key " + k.arn() + " is managed by " + abbreviate(k.keyManager())
                    + ", not a customer managed key";
        }
        if (!"SYMMETRIC_DEFAULT".equals(k.keySpec())) {
            return "the key " + k.arn() + " has key spec " + abbreviate(k.keySpec())
                    + ": S3 encrypts only with symmetric keys (SYMMETRIC_DEFAULT)";
        }
        if (!"ENCRYPT_DECRYPT".equals(k.keyUsage())) {
            return "the key " + k.arn() + " has key usage " + abbreviate(k.keyUsage()) + ", not ENCRYPT_DECRYPT";
        }
        if (!"Enabled".equals(k.keyState())) {
            return "the key " + k.arn() + " is " + abbreviate(k.keyState()) + ", not Enabled";
        }
        return null;
    }
}
