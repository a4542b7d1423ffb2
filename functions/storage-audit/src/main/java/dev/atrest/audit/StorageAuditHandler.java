package dev.atrest.audit;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.lambda.JsonHandler;
import dev.atrest.core.summary.RunSummary;

/** Placeholder until issue 5. */
public final class StorageAuditHandler extends JsonHandler {
    @Override
    protected Object handle(JsonNode event, Context context) {
        return new RunSummary("StorageAuditFunction", event.path("detail-type").asText(), true).error("not implemented yet").finish();
    }
}
