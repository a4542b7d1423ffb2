package dev.atrest.s3;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An object version's access control list as GetObjectAcl shows it. In a bucket whose Object Ownership is
 * BucketOwnerEnforced there are no ACLs: GetObjectAcl answers the bucket owner's full control, which is also what a
 * copy gets without grant headers, so nothing needs carrying there.
 *
 * @param owner canonical user id of the object's owner
 * @param grants every grant, the owner's own included
 */
public record ObjectAcl(String owner, List<Grant> grants) {
    /** The permissions a write can grant on an object (x-amz-grant-*); WRITE does not apply to objects. */
    static final List<String> HEADER_PERMISSIONS = List.of("FULL_CONTROL", "READ", "READ_ACP", "WRITE_ACP");

    /**
     * @param type id (canonical user), uri (group) or emailAddress, as the grant headers name them
     * @param grantee the id, URI or address
     */
    public record Grant(String type, String grantee, String permission) {}

    public ObjectAcl {
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    /** The private ACL every write gets by default: its owner's full control and nothing else. */
    public boolean ownerOnly() {
        return grants.size() == 1 && grants.get(0).equals(new Grant("id", owner, "FULL_CONTROL"));
    }

    /** Why these grants cannot be written with x-amz-grant-* headers, or null when they can. */
    public String notExpressible() {
        if (grants.isEmpty()) {
            return "the ACL grants nothing, not even to its owner, and a write cannot ask for an empty ACL";
        }
        for (Grant g : grants) {
            if (!HEADER_PERMISSIONS.contains(g.permission())) {
                return "grant " + g.permission() + " to " + g.grantee() + " cannot be set on a write";
            }
            if (!Set.of("id", "uri", "emailAddress").contains(g.type()) || g.grantee() == null
                    || g.grantee().isBlank() || g.grantee().contains("\"")) {
                return "grantee " + g.type() + " '" + g.grantee() + "' cannot be named in a grant header";
            }
        }
        return null;
    }

    /** Grant header values by permission, e.g. READ -> {@code uri="http://acs.amazonaws.com/groups/global/AllUsers"}. */
    public Map<String, String> headers() {
        Map<String, List<String>> by = new LinkedHashMap<>();
        for (Grant g : grants) {
            by.computeIfAbsent(g.permission(), p -> new ArrayList<>()).add(g.type() + "=\"" + g.grantee() + "\"");
        }
        Map<String, String> out = new LinkedHashMap<>();
        by.forEach((permission, grantees) -> out.put(permission, String.join(", ", grantees)));
        return out;
    }

    /** Same grants, whatever their order. */
    public boolean sameGrants(ObjectAcl other) {
        return new HashSet<>(grants).equals(new HashSet<>(other.grants())) && grants.size() == other.grants().size();
    }

    /** How the summary names the grants, e.g. "id=abc…:FULL_CONTROL, uri=…/AllUsers:READ". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Grant g : grants) {
            parts.add(g.type() + "=" + g.grantee() + ":" + g.permission());
        }
        return String.join(", ", parts);
    }
}
