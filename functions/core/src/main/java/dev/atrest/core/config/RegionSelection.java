package dev.atrest.core.config;

import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;

/**
 * Which Regions a function covers: a configured list, every Region enabled for the account ("all"), or, when
 * nothing is configured, the function's own Region. Pure; how the enabled Regions are found is the caller's
 * gateway's business.
 *
 * @param configured the configured Regions, in order, without duplicates; empty with {@code all}, or for the
 *     function's own Region
 * @param all every Region enabled for the account
 */
public record RegionSelection(List<String> configured, boolean all) {
    /** Nothing configured: the function's own Region. */
    public static final RegionSelection HOME = new RegionSelection(List.of(), false);

    public RegionSelection {
        configured = configured == null ? List.of() : configured.stream().distinct().toList();
    }

    public static RegionSelection of(String... regions) {
        return new RegionSelection(List.of(regions), false);
    }

    public static RegionSelection allEnabled() {
        return new RegionSelection(List.of(), true);
    }

    /**
     * Reads {@code name} (e.g. REGIONS): Region names separated by commas, or {@code all}, exactly as the template's
     * parameter pattern takes them ({@link ConfigLoader#REGION_LIST}); unset or empty is the function's own
     * Region. A bad value is recorded as a problem of {@code env}. A well-formed name the SDK does not know is
     * accepted, as the template accepts it (a Region newer than the SDK still resolves its endpoints); a misspelt
     * one fails its calls as an unknown host, which is reported, never retried.
     */
    public static RegionSelection load(ConfigLoader env, String name) {
        List<String> listed = env.list(name, ConfigLoader.REGION_LIST,
                "region names separated by commas without spaces (us-east-1,eu-west-1), or all");
        return listed.equals(List.of("all")) ? allEnabled() : new RegionSelection(listed, false);
    }

    /** The Regions to cover: the configured ones, every enabled one (sorted), or {@code home}. */
    public List<String> resolve(String home, Supplier<List<String>> enabled) {
        return resolve(configured, all, home, enabled);
    }

    public static List<String> resolve(List<String> configured, boolean all, String home,
                                       Supplier<List<String>> enabled) {
        if (all) {
            return enabled.get().stream().distinct().sorted().toList();
        }
        if (configured.isEmpty()) {
            return List.of(home);
        }
        return configured.stream().distinct().toList();
    }

    /**
     * Whether {@code region} is covered, without asking AWS: listed (or {@code home} when nothing is listed); for
     * "all", any Region of {@code home}'s partition that the SDK knows. A Region of the partition that the account
     * has not enabled then fails on its first call, as access denied, and is reported.
     */
    public boolean covers(String region, String home) {
        if (region == null) {
            return false;
        }
        if (!all) {
            return configured.isEmpty() ? region.equals(home) : configured.contains(region);
        }
        if (!ConfigLoader.REGION.matcher(region).matches()) {
            return false;
        }
        RegionMetadata metadata = Region.of(region).metadata();
        RegionMetadata homeMetadata = Region.of(home).metadata();
        return metadata != null && homeMetadata != null
                && metadata.partition().id().equals(homeMetadata.partition().id());
    }

    /** For messages: the Regions covered, as configured. */
    public String describe(String home) {
        return all ? "every region enabled for the account" : String.join(", ", configured.isEmpty()
                ? List.of(home) : configured);
    }
}
