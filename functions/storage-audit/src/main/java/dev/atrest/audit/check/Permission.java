package dev.atrest.audit.check;

import java.util.Set;

/**
 * IAM actions a part of the audit needs, and the setting that turns them on. The template grants each group in a
 * statement conditioned on that setting; {@code AuditPermissionsTest} holds the two to each other.
 *
 * @param enabledBy the environment variable whose value turns the actions on (the template conditions its statement
 *     on that parameter), or null: always needed
 */
public record Permission(String enabledBy, Set<String> actions) {
    public Permission {
        actions = Set.copyOf(actions);
    }

    public static Permission always(Set<String> actions) {
        return new Permission(null, actions);
    }

    public static Permission always(String... actions) {
        return always(Set.of(actions));
    }

    public static Permission enabledBy(String setting, Set<String> actions) {
        return new Permission(setting, actions);
    }

    public static Permission enabledBy(String setting, String... actions) {
        return enabledBy(setting, Set.of(actions));
    }
}
