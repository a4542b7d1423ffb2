package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3BatchResponse.ResultCode;
import dev.atrest.core.summary.ItemResult.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchResultsTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "CHANGED,           Succeeded",
        "COMPLIANT,         Succeeded",
        "SKIPPED,           Succeeded",
        "RETRYABLE_FAILURE, TemporaryFailure",
        "FAILED,            PermanentFailure",
        "CRITICAL,          PermanentFailure",
        "REPORTED,          PermanentFailure",
    })
    void mapsOutcomesToResultCodes(Outcome outcome, ResultCode expected) {
        assertThat(BatchResults.code(outcome)).isEqualTo(expected);
    }
}
