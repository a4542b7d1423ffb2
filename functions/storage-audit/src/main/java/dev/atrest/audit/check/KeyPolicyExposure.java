package dev.atrest.audit.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a KMS key policy lets everyone use the key: an Allow statement whose principal is {@code *} (or
 * {@code {"AWS": "*"}}, or an account wildcard, or any NotPrincipal) without a condition that ties the caller to an
 * account or organisation. Pure: the policy text in, the open statements out.
 *
 * <p>A condition restricts only when it can never be met by a stranger: a positive operator (StringEquals,
 * StringLike, ArnEquals, ArnLike and their ignore-case and ForAnyValue forms) on a key that names the caller's account,
 * organisation or source ({@link #RESTRICTING_KEYS}), with fixed values (no {@code *} standing for everything, no
 * policy variable). Negated operators, {@code ...IfExists} (met when the key is absent), {@code ForAllValues} (met by an
 * empty set), and keys such as {@code kms:ViaService} or {@code aws:SecureTransport} (any account's principals can
 * call through S3, or over TLS) restrict nothing. This is the reading of AWS Config's kms-key-policy-no-public-access
 * and of AWS's own policies for AWS managed keys ({@code Principal *} limited by {@code kms:CallerAccount}).
 */
public final class KeyPolicyExposure {
    /** Condition keys (lower case, as IAM compares them) that tie a request to an account, organisation or source. */
    static final Set<String> RESTRICTING_KEYS = Set.of("aws:principalorgid", "aws:principalorgpaths",
            "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcearn",
            "aws:sourceorgid", "aws:sourceorgpaths", "kms:calleraccount", "aws:sourcevpce", "aws:sourcevpc",
            "aws:userid");
    private static final Set<String> POSITIVE_OPERATORS = Set.of("stringequals", "stringequalsignorecase",
            "stringlike", "arnequals", "arnlike");
    /** An ARN whose account is a fixed 12-digit id, whatever wildcards its region or resource holds. */
    private static final Pattern FIXED_ACCOUNT_ARN = Pattern.compile("^arn:[^:*?]+:[^:]*:[^:]*:[0-9]{12}:.*$");
    /** An organisation path whose organisation id is fixed ({@code o-abc/r-ab12/ou-*}). */
    private static final Pattern FIXED_ORGANISATION_PATH = Pattern.compile("^o-[a-z0-9]{10,32}/.*$");
    private static final Pattern ACCOUNT_WILDCARD = Pattern.compile("^arn:aws[a-z-]*:iam::[^:]*\\*[^:]*:.*$");

    /**
     * One statement that opens the key.
     *
     * @param statement its Sid, or its position ({@code #2}) when it has none
     * @param actions its Action as written
     * @param why what makes it open
     */
    public record OpenStatement(String statement, String actions, String why) {}

    private KeyPolicyExposure() {}

    /**
     * @throws IllegalArgumentException when the text is not a JSON policy document: KMS only stores valid ones, so
     *     such text is a reason to look, not something to pass
     */
    public static List<OpenStatement> openStatements(String policy) {
        JsonNode doc;
        try {
            doc = Json.readTree(new ByteArrayInputStream(policy.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the key policy is not JSON: " + e.getMessage(), e);
        }
        JsonNode statements = doc == null ? null : doc.get("Statement");
        if (statements == null || statements.isNull()) {
            throw new IllegalArgumentException("the key policy has no Statement");
        }
        List<JsonNode> all = new ArrayList<>();
        if (statements.isArray()) {
            statements.forEach(all::add);
        } else {
            all.add(statements);
        }
        List<OpenStatement> open = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            JsonNode s = all.get(i);
            if (!"Allow".equals(s.path("Effect").asText())) {
                continue;
            }
            String everyone = everyone(s);
            if (everyone == null || restricted(s.get("Condition"))) {
                continue;
            }
            String name = s.hasNonNull("Sid") && !s.get("Sid").asText().isBlank() ? s.get("Sid").asText()
                    : "#" + (i + 1);
            JsonNode action = s.has("Action") ? s.get("Action") : s.get("NotAction");
            String actions = action == null ? "" : (s.has("NotAction") ? "NotAction " : "")
                    + (action.isArray() ? join(action) : action.asText());
            open.add(new OpenStatement(name, actions, everyone + (s.has("Condition")
                    ? " with no condition limiting it to an account or organisation"
                    : " without a condition")));
        }
        return List.copyOf(open);
    }

    /** What in the statement's principal means everyone; null when it names particular principals. */
    private static String everyone(JsonNode s) {
        if (s.has("NotPrincipal")) {
            return "NotPrincipal (everyone but the principals it names)";
        }
        JsonNode p = s.get("Principal");
        if (p == null) {
            return null;
        }
        if (p.isTextual()) {
            return "*".equals(p.asText()) ? "Principal \"*\"" : null;
        }
        JsonNode aws = p.get("AWS");
        if (aws == null) {
            return null; // Service, Federated, CanonicalUser: particular principals
        }
        for (JsonNode a : aws.isArray() ? aws : List.of(aws)) {
            String v = a.asText();
            if ("*".equals(v)) {
                return "Principal {\"AWS\": \"*\"}";
            }
            if (ACCOUNT_WILDCARD.matcher(v).matches()) {
                return "Principal " + v;
            }
        }
        return null;
    }

    /** True when some condition ties every request the statement allows to an account or organisation. */
    private static boolean restricted(JsonNode condition) {
        if (condition == null || !condition.isObject()) {
            return false;
        }
        Iterator<Map.Entry<String, JsonNode>> operators = condition.fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> op = operators.next();
            String operator = op.getKey().toLowerCase(Locale.ROOT);
            if (operator.startsWith("forallvalues:") || operator.endsWith("ifexists")) {
                continue;
            }
            if (!POSITIVE_OPERATORS.contains(operator.replaceFirst("^foranyvalue:", ""))) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (RESTRICTING_KEYS.contains(key.getKey().toLowerCase(Locale.ROOT)) && fixed(key.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Values that name particular accounts, organisations or sources: present, without policy variables, and with
     * wildcards only where the account or organisation stays fixed (an ARN's region or resource, an organisation
     * path below its organisation id).
     */
    private static boolean fixed(JsonNode values) {
        List<JsonNode> all = new ArrayList<>();
        if (values.isArray()) {
            values.forEach(all::add);
        } else {
            all.add(values);
        }
        if (all.isEmpty()) {
            return false;
        }
        for (JsonNode v : all) {
            String text = v.asText();
            if (text.isBlank() || text.contains("${")) {
                return false;
            }
            if ((text.contains("*") || text.contains("?")) && !FIXED_ACCOUNT_ARN.matcher(text).matches()
                    && !FIXED_ORGANISATION_PATH.matcher(text).matches()) {
                return false;
            }
        }
        return true;
    }

    private static String join(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return String.join(",", out);
    }
}
