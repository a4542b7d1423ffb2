package dev.atrest.kms;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Arns;
import dev.atrest.core.config.RegionSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an event belongs to this function's account and Regions. Pure. An event that says it comes from another
 * account, or from a Region outside REGIONS (envelope {@code account}/{@code region}, the record's
 * {@code recipientAccountId} and {@code awsRegion}, or the account and Region of the key ARN it names), is not acted
 * on: it is skipped with this reason, before any AWS call. A key event acts in its own Region only, so every Region
 * it names must be covered; a scheduled sweep comes from the function's own Region (where its schedule is) and
 * sweeps every covered Region. A multi-Region replica is still fixed on its primary, because that comes from KMS's
 * own metadata, never from the event.
 */
final class EventScope {
    private EventScope() {}

    /**
     * @param ownAccount the function's account, null when unknown (then only the event's own consistency is checked)
     * @param homeRegion the function's Region
     * @param regions the Regions the function covers (REGIONS)
     * @return why the event is out of scope, or empty
     */
    static Optional<String> outOfScope(JsonNode event, Trigger trigger, String ownAccount, String homeRegion,
                                       RegionSelection regions) {
        List<String> accounts = new ArrayList<>();
        List<String> found = new ArrayList<>();
        addText(accounts, "account", event.get("account"));
        addText(found, "region", event.get("region"));
        if (trigger instanceof Trigger.KeyEvent keyEvent) {
            JsonNode detail = event.path("detail");
            addText(accounts, "detail.recipientAccountId", detail.get("recipientAccountId"));
            found.add("detail.awsRegion=" + keyEvent.call().region());
            String ref = keyEvent.call().keyRef();
            // Any ARN-shaped text counts here, well-formed or not: a scope check compares what the event says.
            Arns.parseAnyShape(ref).ifPresent(arn -> {
                accounts.add("key ARN account=" + arn.accountId().orElse(""));
                found.add("key ARN region=" + arn.region().orElse(""));
            });
        }
        String expectedAccount = ownAccount != null ? ownAccount : valueOf(accounts.isEmpty() ? null : accounts.get(0));
        for (String account : accounts) {
            if (expectedAccount != null && !expectedAccount.equals(valueOf(account))) {
                return Optional.of("event for another account (" + abbreviate(account)
                        + "; this function manages " + (ownAccount != null ? ownAccount : "the event's account "
                        + expectedAccount) + "): not acted on");
            }
        }
        boolean sweep = trigger instanceof Trigger.Sweep;
        if (trigger instanceof Trigger.KeyEvent keyEvent) {
            // A key event acts in the Region of the call: every Region the event names must be that one.
            String callRegion = keyEvent.call().region();
            for (String labelled : found) {
                if (!callRegion.equals(valueOf(labelled))) {
                    return Optional.of("event for another region (" + abbreviate(labelled) + "; the call was made in "
                            + callRegion + "): not acted on");
                }
            }
        }
        for (String labelled : found) {
            String region = valueOf(labelled);
            if (!(regions.covers(region, homeRegion) || sweep && homeRegion.equals(region))) {
                return Optional.of("event for another region (" + abbreviate(labelled)
                        + "; this function manages " + regions.describe(homeRegion) + "): not acted on");
            }
        }
        return Optional.empty();
    }

    private static void addText(List<String> out, String name, JsonNode value) {
        if (value != null && !value.isNull()) {
            out.add(name + "=" + (value.isTextual() ? value.asText() : value.toString()));
        }
    }

    private static String valueOf(String labelled) {
        return labelled == null ? null : labelled.substring(labelled.indexOf('=') + 1);
    }
}
