package dev.atrest.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.S3BatchEventV2;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every file in events/ loads with the Lambda runtime's own serialisers into its trigger's type. */
class SampleEventsTest {

    @Test
    void s3NotificationKeysAreUrlEncodedWithPlusForSpace() {
        S3Event event = EventLoader.loadS3Event("s3-put.json");
        var object = event.getRecords().get(0).getS3().getObject();
        assertThat(object.getKey()).isEqualTo("reports/2026+Q3/r%C3%A9sum%C3%A9+final.csv");
        assertThat(object.getUrlDecodedKey()).isEqualTo("reports/2026 Q3/résumé final.csv");
    }

    @Test
    void batchOperationsEventIsSchema2() {
        S3BatchEventV2 event = EventLoader.loadEvent("s3-batch-v2.json", S3BatchEventV2.class);
        assertThat(event.getInvocationSchemaVersion()).isEqualTo("2.0");
        assertThat(event.getTasks()).singleElement().satisfies(task -> {
            assertThat(task.getS3Bucket()).isEqualTo("atrest-demo-bucket");
            assertThat(task.getS3Key()).isEqualTo("backfill/old%20object.bin");
        });
    }

    @Test
    void backfillScheduleIsTheTemplatesInputWithTheSchedulersTime() {
        // EventBridge Scheduler delivers the schedule's Input as it is, <aws.scheduler.scheduled-time> replaced.
        ScheduledEvent event = EventLoader.loadScheduledEvent("backfill-schedule.json");
        assertThat(event.getSource()).isEqualTo("atrest.scheduler");
        assertThat(event.getDetail()).containsEntry("task", "s3-backfill").containsKey("scheduledTime");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "eventbridge-object-created.json, aws.s3, Object Created",
        "cloudtrail-create-key.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-disable-key-rotation.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-enable-key-rotation.json, aws.kms, AWS API Call via CloudTrail",
        "scheduled-event.json, aws.scheduler, Scheduled Event",
        "backfill-job-status-changed.json, aws.s3, AWS Service Event via CloudTrail",
        "ebs-volume-created.json, aws.ec2, EBS Volume Notification",
        "ebs-volume-creation-failed.json, aws.ec2, EBS Volume Notification",
        "cloudtrail-cancel-key-deletion.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-connect-custom-key-store.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-copy-snapshot.json, aws.ec2, AWS API Call via CloudTrail",
        "cloudtrail-create-bucket.json, aws.s3, AWS API Call via CloudTrail",
        "cloudtrail-create-snapshot.json, aws.ec2, AWS API Call via CloudTrail",
        "cloudtrail-delete-bucket-encryption.json, aws.s3, AWS API Call via CloudTrail",
        "cloudtrail-delete-imported-key-material.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-disable-ebs-encryption-by-default.json, aws.ec2, AWS API Call via CloudTrail",
        "cloudtrail-disable-key-rotation-failed.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-disable-key.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-disconnect-custom-key-store.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-efs-create-file-system.json, aws.elasticfilesystem, AWS API Call via CloudTrail",
        "cloudtrail-enable-key.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-fsx-copy-backup.json, aws.fsx, AWS API Call via CloudTrail",
        "cloudtrail-fsx-create-backup.json, aws.fsx, AWS API Call via CloudTrail",
        "cloudtrail-fsx-create-file-system-from-backup.json, aws.fsx, AWS API Call via CloudTrail",
        "cloudtrail-fsx-create-file-system.json, aws.fsx, AWS API Call via CloudTrail",
        "cloudtrail-import-key-material.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-modify-ebs-default-kms-key-id.json, aws.ec2, AWS API Call via CloudTrail",
        "cloudtrail-put-bucket-encryption.json, aws.s3, AWS API Call via CloudTrail",
        "cloudtrail-put-key-policy.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-replicate-key.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-reset-ebs-default-kms-key-id.json, aws.ec2, AWS API Call via CloudTrail",
        "cloudtrail-schedule-key-deletion.json, aws.kms, AWS API Call via CloudTrail",
        "cloudtrail-update-custom-key-store.json, aws.kms, AWS API Call via CloudTrail",
    })
    void eventBridgeEventsLoadAsTheGenericEnvelope(String file, String source, String detailType) {
        ScheduledEvent event = EventLoader.loadScheduledEvent(file);
        assertThat(event.getSource()).isEqualTo(source);
        assertThat(event.getDetailType()).isEqualTo(detailType);
        assertThat(event.getAccount()).isEqualTo("123456789012");
        assertThat(event.getDetail()).isInstanceOf(Map.class);
    }
}
