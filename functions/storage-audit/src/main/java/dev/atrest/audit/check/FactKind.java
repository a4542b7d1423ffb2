package dev.atrest.audit.check;

import java.util.Objects;

/**
 * A kind of fact one check gives others in the same run ("resource X uses key K"). Checks declare the kinds they
 * {@linkplain AuditCheck#produces() produce} and {@linkplain AuditCheck#consumes() consume}; the registry orders
 * consumers after producers, so the service never needs to know what a fact says.
 *
 * @param name names the kind in errors
 */
public record FactKind<T>(String name, Class<T> type) {
    public FactKind {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }
}
