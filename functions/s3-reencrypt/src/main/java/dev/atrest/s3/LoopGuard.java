package dev.atrest.s3;

/**
 * Recognises events caused by this function's own writes. S3 notifications name the caller as
 * "AWS:&lt;role unique id&gt;:&lt;session name&gt;" for an assumed role. The session name is chosen by whoever assumes
 * a role, so a name proves nothing: the role's unique id (AROA..., never reused, even by a new role of the same name)
 * does. Only Lambda may assume the function's role, so every session of it is this function.
 *
 * <p>EventBridge "Object Created" events name only the requester's account (detail.requester), never a role: they
 * cannot tell our writes from anyone's in the account. There the guard is the object itself: UpdateObjectEncryption
 * emits no Object Created event, and the event of our own copy finds the object already compliant (one HeadObject).
 */
public final class LoopGuard {
    private LoopGuard() {}

    public static boolean selfCaused(String principalId, String functionRoleId) {
        if (principalId == null || functionRoleId == null || functionRoleId.isBlank()) {
            return false;
        }
        return principalId.startsWith("AWS:" + functionRoleId + ":");
    }
}
