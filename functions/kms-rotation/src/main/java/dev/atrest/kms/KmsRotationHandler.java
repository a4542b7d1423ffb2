package dev.atrest.kms;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.lambda.JsonHandler;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;

/** Placeholder until issue 4: reports the CloudTrail event it was given, changes nothing. */
public final class KmsRotationHandler extends JsonHandler {
    @Override
    protected Object handle(JsonNode event, Context context) {
        RunSummary summary = new RunSummary("KmsRotationFunction", event.path("detail-type").asText(), true);
        summary.add(ItemResult.of(event.path("detail").path("eventName").asText("schedule"), "NONE",
                ItemResult.Outcome.SKIPPED, "not implemented yet"));
        return summary.finish();
    }
}
