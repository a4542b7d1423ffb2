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
     * Per case:
     * <ul>
     *   <li>re-encrypted (CHANGED, restores of a newer write included), compliant, and deliberately left (SKIPPED:
     *       SSE-C, DSSE-KMS, archived, "changed since event", whose newer write is re-checked by its own event):
     *       Succeeded, the result string says which;</li>
     *   <li>what a retry may fix (RETRYABLE_FAILURE: throttling, 5xx, I/O, also when an upload could not be aborted
     *       after such a failure, which the next copy aborts): TemporaryFailure, so the job retries it;</li>
     *   <li>what needs a person (REPORTED: the copy would lose a property S3 cannot carry and was not made;
     *       CRITICAL: the verification found a difference of our write; FAILED: access denied, invalid request):
     *       PermanentFailure, never Succeeded, so it shows in a FailedTasksOnly completion report.</li>
     * </ul>
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
