package dev.atrest.audit.check;

import dev.atrest.audit.aws.KmsGateway;
import dev.atrest.core.findings.ComplianceStatus;
import dev.atrest.core.findings.Finding;
import dev.atrest.core.findings.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Custom key stores (CloudHSM and external) that hold enabled keys are connected: while a store is not CONNECTED
 * its keys cannot encrypt or decrypt, so data under them can be neither read nor written. Security Hub has no
 * control for it. KMS names key stores by id only; findings name one
 * {@code arn:<partition>:kms:<region>:<account>:custom-key-store/<id>}, in the shape of KMS's ARNs (KMS itself has no
 * ARN for a key store).
 */
public final class KmsCustomKeyStoreCheck implements AuditCheck<KmsGateway.CustomKeyStore,
        KmsCustomKeyStoreCheck.StoreState> {
    public static final CheckDefinition DEFINITION = new CheckDefinition("kms-custom-key-store-connected", null,
            "Custom key store holding enabled keys is not connected", Severity.HIGH, "Other",
            "Find the cause from ConnectionErrorCode (KMS Developer Guide, \"Troubleshooting a custom key store\"): "
                    + "for a CloudHSM key store, an active HSM in the cluster and the kmsuser password; for an "
                    + "external key store, the proxy's endpoint, credentials and health. Then reconnect it "
                    + "(ConnectCustomKeyStore; a FAILED store is disconnected first).");

    /**
     * A custom key store and how many enabled keys it holds.
     *
     * @param resourceId the store in the shape of a KMS ARN (see the class comment)
     */
    public record StoreState(String id, String name, String type, String resourceId, String region,
            String connectionState, String connectionErrorCode, int enabledKeys) {}

    private final KmsGateway kms;

    public KmsCustomKeyStoreCheck(KmsGateway kms) {
        this.kms = kms;
    }

    @Override
    public CheckDefinition definition() {
        return DEFINITION;
    }

    @Override
    public CheckReach reach() {
        return CheckReach.REGION;
    }

    @Override
    public Set<String> readActions() {
        return Set.of("kms:DescribeCustomKeyStores", "kms:ListKeys", "kms:DescribeKey");
    }

    @Override
    public void list(AuditRun run, List<String> regions, Consumer<KmsGateway.CustomKeyStore> out) {
        for (String region : regions) {
            kms.customKeyStores(region, out);
        }
    }

    @Override
    public boolean audits(String resourceId) {
        return ResourceArns.id(resourceId, "kms", "custom-key-store/").isPresent();
    }

    @Override
    public Optional<KmsGateway.CustomKeyStore> find(AuditRun run, String region, String resourceId) {
        return ResourceArns.id(resourceId, "kms", "custom-key-store/").flatMap(id -> kms.customKeyStore(region, id));
    }

    /** The resource id findings name the store by. */
    public static String resourceId(String partition, String region, String account, String storeId) {
        return "arn:" + partition + ":kms:" + region + ":" + account + ":custom-key-store/" + storeId;
    }

    @Override
    public String region(KmsGateway.CustomKeyStore store) {
        return store.region();
    }

    /** Counts the enabled keys in the store: only the region's key list tells which keys a store holds. */
    @Override
    public StoreState describe(AuditRun run, KmsGateway.CustomKeyStore s) {
        int enabled = s.connectionState() != null && s.connectionState().equals("CONNECTED") ? 0
                : (int) run.keys().inventory(s.region()).stream()
                        .filter(k -> s.id().equals(k.customKeyStoreId()) && k.enabled()).count();
        return new StoreState(s.id(), s.name(), s.type(), resourceId(run.context().partition(), s.region(),
                run.context().accountId(), s.id()), s.region(), s.connectionState(), s.connectionErrorCode(), enabled);
    }

    @Override
    public Finding evaluate(StoreState s, RunContext context) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("customKeyStoreId", s.id());
        if (s.name() != null) {
            details.put("customKeyStoreName", s.name());
        }
        details.put("customKeyStoreType", s.type());
        details.put("connectionState", String.valueOf(s.connectionState()));
        if (s.connectionErrorCode() != null) {
            details.put("connectionErrorCode", s.connectionErrorCode());
        }
        String state = s.connectionState() + (s.connectionErrorCode() == null ? "" : " (" + s.connectionErrorCode() + ")");
        if ("CONNECTED".equals(s.connectionState())) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, s.resourceId(), s.region(),
                    "custom key store is CONNECTED", Map.of(), details);
        }
        details.put("enabledKeys", Integer.toString(s.enabledKeys()));
        if (s.enabledKeys() == 0) {
            return DEFINITION.finding(context, ComplianceStatus.PASSED, s.resourceId(), s.region(),
                    "custom key store is " + state + " but holds no enabled key", Map.of(), details);
        }
        return DEFINITION.finding(context, ComplianceStatus.FAILED, s.resourceId(), s.region(),
                "custom key store is " + state + " while " + s.enabledKeys() + " enabled key"
                        + (s.enabledKeys() == 1 ? " is" : "s are") + " in it: data under them can be neither read "
                        + "nor written until it reconnects", Map.of(), details);
    }
}
