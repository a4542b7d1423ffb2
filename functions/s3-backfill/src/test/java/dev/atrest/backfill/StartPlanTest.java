package dev.atrest.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.backfill.StartPlan.ActiveJob;
import dev.atrest.backfill.StartPlan.Step;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StartPlanTest {
    static final Set<String> CONFIGURED = Set.of("data", "logs");
    static final ActiveJob DRY_WAITING = new ActiveJob(new AtrestJob("job-dry", JobKind.SSE_S3, "data", true, null),
            new ListedJob("job-dry", "atrest backfill sse-s3 s3://data", "Suspended", 120L, 0, 0));
    static final ActiveJob RUNNING = new ActiveJob(new AtrestJob("job-run", JobKind.NOT_SSE, "data", false, null),
            new ListedJob("job-run", "atrest backfill not-sse s3://data", "Active", 10L, 4, 1));
    static final ActiveJob RETRYING = new ActiveJob(new AtrestJob("job-re", JobKind.RETRY, "data", false, "job-run"),
            new ListedJob("job-re", "atrest backfill retry s3://data retry of job-run", "Preparing", null, 0, 0));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("not watched", "other", "us-east-1", List.of(), Step.NOT_CONFIGURED, "never touched"),
                Arguments.of("watched, nothing running", "data", "us-east-1", List.of(), Step.START, "no atrest job"),
                Arguments.of("region not yet read", "data", null, List.of(), Step.START, "no atrest job"),
                Arguments.of("another region", "data", "eu-west-1", List.of(), Step.OTHER_REGION, "deploy atrest in eu-west-1"),
                Arguments.of("another region wins over a running job", "data", "eu-west-1", List.of(RUNNING),
                        Step.OTHER_REGION, "eu-west-1"),
                Arguments.of("dry run waiting", "data", "us-east-1", List.of(DRY_WAITING), Step.ALREADY_ACTIVE,
                        "sse-s3 job job-dry is Suspended, 0 of 120 tasks done (dry run: waits for confirmation, 120 "
                                + "objects; atrest never confirms it)"),
                Arguments.of("running", "data", "us-east-1", List.of(RUNNING), Step.ALREADY_ACTIVE,
                        "not-sse job job-run is Active, 5 of 10 tasks done"),
                Arguments.of("a retry running", "data", "us-east-1", List.of(RETRYING), Step.ALREADY_ACTIVE,
                        "retry job job-re is Preparing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decide(String name, String bucket, String region, List<ActiveJob> active, Step step, String reason) {
        StartPlan.Decision d = StartPlan.decide(bucket, CONFIGURED, region, "us-east-1", active);
        assertThat(d.step()).isEqualTo(step);
        assertThat(d.reason()).contains(reason);
    }
}
