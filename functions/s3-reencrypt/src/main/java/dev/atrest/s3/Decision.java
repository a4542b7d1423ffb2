package dev.atrest.s3;

/** What to do with one object, and why (the reason goes to the summary as it is). */
public record Decision(Action action, String reason) {

    public enum Action {
        /** Already encrypted as wanted: nothing to do. */
        COMPLIANT,
        /** UpdateObjectEncryption: no data moved. */
        UPDATE_ENCRYPTION,
        /** In-place CopyObject conditioned on the ETag. */
        COPY,
        /** In-place multipart copy with UploadPartCopy (objects over the threshold). */
        MULTIPART_COPY,
        /** Deliberately left alone. */
        SKIP;

        boolean copies() {
            return this == COPY || this == MULTIPART_COPY;
        }
    }

    static Decision of(Action action, String reason) {
        return new Decision(action, reason);
    }
}
