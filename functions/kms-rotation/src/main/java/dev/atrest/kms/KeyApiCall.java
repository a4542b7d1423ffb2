package dev.atrest.kms;

/**
 * The parts of a CloudTrail KMS record ({@code detail} of an "AWS API Call via CloudTrail" event) the function uses.
 *
 * @param keyRef the key the call was about: key ARN, key id or alias, as the record names it
 * @param region the region the call was made in
 * @param requestedPeriodDays EnableKeyRotation's {@code rotationPeriodInDays}, null when not given
 * @param errorCode set when the call failed
 */
public record KeyApiCall(String eventName, String eventId, String eventTime, String region, String keyRef,
                         Integer requestedPeriodDays, String errorCode, String errorMessage, Caller caller) {}
