package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.core.aws.ClientFactory;
import dev.atrest.core.aws.Priming;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(EmulatorExtension.class)
class PrimingEmulatorTest {

    @Test
    void primedCallsAreStoppedBeforeTransmissionAndOthersAreNot(Emulator emulator) {
        try (ClientFactory factory = new ClientFactory(Region.US_EAST_1)) {
            S3Client s3 = factory.client("s3", () -> S3Client.builder().forcePathStyle(ClientFactory.s3PathStyle()));
            long before = Priming.stoppedRequests();
            List<String> reached = new ArrayList<>();

            Priming.offline(
                    () -> s3.createBucket(b -> b.bucket("atrest-priming")),
                    () -> reached.add("the first call's failure does not skip the next"),
                    () -> s3.listBuckets());

            assertThat(Priming.stoppedRequests() - before).as("one stop per call, no retries").isEqualTo(2);
            assertThat(reached).hasSize(1);
            assertThat(emulator.requests()).as("nothing left the process").isEmpty();
            // Outside offline() the same client sends as usual.
            s3.createBucket(b -> b.bucket("atrest-after-priming"));
            assertThat(emulator.requests()).extracting(r -> r.get("operation")).containsExactly("CreateBucket");
            assertThat(Priming.stoppedRequests() - before).isEqualTo(2);
        }
    }

    @Test
    void responseParsingIsWarmedFromCannedAnswersWithoutARequest(Emulator emulator) {
        // S3's module has a warm-up provider; a client class with none is left cold without failing priming.
        Priming.responseParsing(S3Client.class, software.amazon.awssdk.core.SdkClient.class);
        assertThat(emulator.requests()).as("nothing left the process").isEmpty();
    }
}
