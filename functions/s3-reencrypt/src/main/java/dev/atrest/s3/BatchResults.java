package dev.atrest.s3;

import com.amazonaws.services.lambda.runtime.events.S3BatchResponse;
import com.amazonaws.services.lambda.runtime.events.S3BatchResponse.ResultCode;
import dev.atrest.core.summary.ItemResult;
import dev.atrest.core.summary.ItemResult.Outcome;
import java.util.ArrayList;
import java.util.List;

/** The response S3 Batch Operations expects: one result per task, in the shape of schema 2.0. */
public final class BatchResults {
    private BatchResults() {}

    /**
     * Done and deliberately-left objects succeed (the result string says which); what a retry may fix is a
     * temporary failure, so Batch Operations retries it; everything else is permanent and shows in the job report.
     */
    public static ResultCode code(Outcome outcome) {
        return switch (outcome) {
            case CHANGED, COMPLIANT, SKIPPED -> ResultCode.Succeeded;
            case RETRYABLE_FAILURE -> ResultCode.TemporaryFailure;
            case FAILED, CRITICAL, REPORTED -> ResultCode.PermanentFailure;
        };
    }

    public static S3BatchResponse response(Trigger trigger, List<ItemResult> items) {
        List<S3BatchResponse.Result> results = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            ItemResult item = items.get(i);
            results.add(new S3BatchResponse.Result(trigger.tasks().get(i).id(), code(item.outcome()),
                    item.outcome() + " " + item.action() + ": " + item.reason()));
        }
        // Missing results can only come from a crash before the response: a retry is the safe reading.
        return new S3BatchResponse(trigger.schemaVersion(), ResultCode.TemporaryFailure, trigger.invocationId(),
                results);
    }
}
