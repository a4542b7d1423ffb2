package dev.atrest.audit.check;

import java.util.List;
import java.util.function.Supplier;

/** Which regions to audit: the configured list, every enabled region ("all"), or the function's own region. */
public final class RegionSelection {
    private RegionSelection() {}

    public static List<String> resolve(List<String> configured, boolean all, String home, Supplier<List<String>> enabled) {
        if (all) {
            return enabled.get().stream().sorted().toList();
        }
        if (configured.isEmpty()) {
            return List.of(home);
        }
        return configured.stream().distinct().toList();
    }
}
