package dev.atrest.s3;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.lambda.JsonHandler;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.RunSummary;

/** Placeholder until issue 3: reports the objects an S3 notification names, changes nothing. */
public final class S3ReencryptHandler extends JsonHandler {
    @Override
    protected Object handle(JsonNode event, Context context) {
        RunSummary summary = new RunSummary("S3ReencryptFunction", "s3", true);
        for (JsonNode record : event.path("Records")) {
            String bucket = record.path("s3").path("bucket").path("name").asText();
            String key = record.path("s3").path("object").path("key").asText();
            summary.add(ItemResult.of(bucket + "/" + key, "NONE", ItemResult.Outcome.SKIPPED, "not implemented yet"));
        }
        return summary.finish();
    }
}
