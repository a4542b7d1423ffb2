package dev.atrest.s3;

import java.util.List;

/** An invocation's event reduced to the objects it names. */
public record Trigger(Kind kind, String invocationId, String schemaVersion, List<ObjectTask> tasks) {

    public enum Kind {
        S3_NOTIFICATION("s3:ObjectCreated"),
        EVENTBRIDGE("aws.s3:Object Created"),
        BATCH_OPERATIONS("s3:BatchOperations");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Trigger {
        tasks = List.copyOf(tasks);
    }
}
