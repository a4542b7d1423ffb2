package dev.atrest.kms;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who made a KMS call, from the CloudTrail record's {@code userIdentity}.
 *
 * @param invokedBy set when an AWS service made the call on the principal's behalf
 */
public record Caller(String type, String arn, String principalId, String accountId, String invokedBy) {
    /** Identity types that stand for a human session; AWSService/AWSAccount calls and service-invoked calls do not. */
    private static final Set<String> PERSON_TYPES = Set.of(
            "Root", "IAMUser", "AssumedRole", "FederatedUser", "IdentityCenterUser", "SAMLUser", "WebIdentityUser");

    static Caller from(JsonNode userIdentity) {
        return new Caller(text(userIdentity, "type"), text(userIdentity, "arn"), text(userIdentity, "principalId"),
                text(userIdentity, "accountId"), text(userIdentity, "invokedBy"));
    }

    /**
     * True when a person (not an AWS service) made the call. An automation role looks like an assumed-role person
     * here; CloudTrail gives no way to tell them apart.
     */
    public boolean isPerson() {
        return type != null && PERSON_TYPES.contains(type) && invokedBy == null;
    }

    /** The caller as the summary and the notice show it. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "type", type);
        put(out, "arn", arn);
        put(out, "principalId", principalId);
        put(out, "accountId", accountId);
        put(out, "invokedBy", invokedBy);
        return out;
    }

    private static void put(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()
                ? null : value.asText();
    }
}
