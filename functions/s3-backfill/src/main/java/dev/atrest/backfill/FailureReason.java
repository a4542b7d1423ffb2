package dev.atrest.backfill;

import dev.atrest.core.summary.ItemResult.Outcome;

/** Why a task failed, grouped by what atrest does about it. */
public enum FailureReason {
    /** Object Lock retention or legal hold: its encryption cannot change until a person lifts it. */
    OBJECT_LOCK(Disposition.NEEDS_PERSON, Outcome.REPORTED,
            "under S3 Object Lock (retention or legal hold): its encryption cannot change while the lock holds; a "
                    + "person must decide"),
    /** Unencrypted: UpdateObjectEncryption takes only encrypted objects; the S3 function copies it. */
    UNENCRYPTED(Disposition.LAMBDA_PATH, Outcome.REPORTED,
            "unencrypted: UpdateObjectEncryption does not take it, the S3 function's copy path does"),
    /** SSE-C or DSSE-KMS: no operation of atrest's may change them (S3 holds no SSE-C key; DSSE would lose a layer). */
    UNSUPPORTED_ENCRYPTION(Disposition.REPORTED, Outcome.REPORTED,
            "SSE-C or DSSE-KMS: neither UpdateObjectEncryption nor a copy to SSE-KMS applies; left as it is"),
    /** The target key was refused (another account's, disabled, missing, or not usable by the job role). */
    KEY_REJECTED(Disposition.REPORTED, Outcome.FAILED,
            "the target KMS key was refused: check the key's state, account and key policy"),
    /** The job role (or the function) was denied. */
    ACCESS_DENIED(Disposition.REPORTED, Outcome.FAILED, "access denied: check the job role and the bucket policy"),
    /** The object or version was deleted after the manifest listed it: nothing left to do. */
    GONE(Disposition.NOTHING, Outcome.SKIPPED, "no longer exists (deleted after the job listed it)"),
    /** Throttling, 5xx, timeouts that outlived the job's own retries. */
    RETRYABLE(Disposition.LAMBDA_PATH, Outcome.REPORTED,
            "a temporary failure (throttling, 5xx, timeout) outlived the job's own retries"),
    /** The S3 function answered a permanent failure for it. */
    FUNCTION_FAILED(Disposition.REPORTED, Outcome.FAILED, "the S3 function could not re-encrypt it"),
    /** The S3 function's verification after its write found a difference. */
    CRITICAL(Disposition.NEEDS_PERSON, Outcome.CRITICAL,
            "the S3 function's verification after its write found a difference: a person must look at it"),
    OTHER(Disposition.REPORTED, Outcome.FAILED, "failed for another reason (see the sample message)");

    public enum Disposition {
        /** Sent once through the S3 function (LambdaInvoke retry job). */
        LAMBDA_PATH,
        NEEDS_PERSON,
        REPORTED,
        NOTHING
    }

    private final Disposition disposition;
    private final Outcome outcome;
    private final String meaning;

    FailureReason(Disposition disposition, Outcome outcome, String meaning) {
        this.disposition = disposition;
        this.outcome = outcome;
        this.meaning = meaning;
    }

    public Disposition disposition() {
        return disposition;
    }

    /** How the group shows in the run summary. */
    public Outcome outcome() {
        return outcome;
    }

    public String meaning() {
        return meaning;
    }
}
