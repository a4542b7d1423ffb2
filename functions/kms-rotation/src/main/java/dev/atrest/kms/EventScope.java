package dev.atrest.kms;

import static dev.atrest.core.json.UntrustedText.abbreviate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.Arns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether an event belongs to this function's account and region. Pure. An event that says it comes from another
 * account or region (envelope {@code account}/{@code region}, the record's {@code recipientAccountId} and
 * {@code awsRegion}, or the account and region of the key ARN it names) is not acted on: it is skipped with this
 * reason, before any AWS call. The function reconciles its own region; a multi-Region replica found there is still
 * fixed on its primary, because that comes from KMS's own metadata, never from the event.
 */
final class EventScope {
    private EventScope() {}

    /**
     * @param ownAccount the function's account, null when unknown (then only the event's own consistency is checked)
     * @param homeRegion the function's region
     * @return why the event is out of scope, or empty
     */
    static Optional<String> outOfScope(JsonNode event, Trigger trigger, String ownAccount, String homeRegion) {
        List<String> accounts = new ArrayList<>();
        List<String> regions = new ArrayList<>();
        addText(accounts, "account", event.get("account"));
        addText(regions, "region", event.get("region"));
        if (trigger instanceof Trigger.KeyEvent keyEvent) {
            JsonNode detail = event.path("detail");
            addText(accounts, "detail.recipientAccountId", detail.get("recipientAccountId"));
            regions.add("detail.awsRegion=" + keyEvent.call().region());
            String ref = keyEvent.call().keyRef();
            // Any ARN-shaped text counts here, well-formed or not: a scope check compares what the event says.
            Arns.parseAnyShape(ref).ifPresent(arn -> {
                accounts.add("key ARN account=" + arn.accountId().orElse(""));
                regions.add("key ARN region=" + arn.region().orElse(""));
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
        for (String region : regions) {
            if (!homeRegion.equals(valueOf(region))) {
                return Optional.of("event for another region (" + abbreviate(region)
                        + "; this function manages " + homeRegion + "): not acted on");
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
