"""s3_bucket_ext: the bucket owner condition, and EventBridge notifications in GetBucketNotificationConfiguration."""
import pytest
from botocore.exceptions import ClientError

ACCOUNT = "123456789012"
OTHER = "111122223333"


def _denied(call):
    with pytest.raises(ClientError) as e:
        call()
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e.value.response
    return e.value.response


def test_a_request_naming_another_owner_is_denied_before_anything_changes(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="owned")
    s3.put_object(Bucket="owned", Key="k", Body=b"x")
    assert s3.head_object(Bucket="owned", Key="k", ExpectedBucketOwner=ACCOUNT)["ContentLength"] == 1
    _denied(lambda: s3.head_object(Bucket="owned", Key="k", ExpectedBucketOwner=OTHER))
    assert _denied(lambda: s3.put_object(Bucket="owned", Key="k", Body=b"changed", ExpectedBucketOwner=OTHER)
                   )["Error"]["Code"] == "AccessDenied"
    assert s3.get_object(Bucket="owned", Key="k")["Body"].read() == b"x"
    # A copy names both owners: the source's is checked too.
    s3.copy_object(Bucket="owned", Key="c", CopySource={"Bucket": "owned", "Key": "k"}, ExpectedBucketOwner=ACCOUNT,
                   ExpectedSourceBucketOwner=ACCOUNT)
    _denied(lambda: s3.copy_object(Bucket="owned", Key="d", CopySource={"Bucket": "owned", "Key": "k"},
                                   ExpectedBucketOwner=ACCOUNT, ExpectedSourceBucketOwner=OTHER))
    assert "d" not in [o["Key"] for o in s3.list_objects_v2(Bucket="owned")["Contents"]]


def test_the_notification_configuration_keeps_eventbridge_beside_the_rest(client):
    s3 = client("s3")
    s3.create_bucket(Bucket="notified")
    existing = {
        "TopicConfigurations": [{"Id": "to-topic", "TopicArn": f"arn:aws:sns:us-east-1:{ACCOUNT}:t",
                                 "Events": ["s3:ObjectCreated:*"],
                                 "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}}],
        "QueueConfigurations": [{"Id": "to-queue", "QueueArn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:q",
                                 "Events": ["s3:ObjectRemoved:*"]}],
    }
    s3.put_bucket_notification_configuration(Bucket="notified", NotificationConfiguration=existing)
    read = s3.get_bucket_notification_configuration(Bucket="notified")
    read.pop("ResponseMetadata")
    assert "EventBridgeConfiguration" not in read
    s3.put_bucket_notification_configuration(Bucket="notified", SkipDestinationValidation=False,
                                             NotificationConfiguration={**read, "EventBridgeConfiguration": {}})
    again = s3.get_bucket_notification_configuration(Bucket="notified")
    again.pop("ResponseMetadata")
    assert again.pop("EventBridgeConfiguration") == {}
    assert again == read

    s3.create_bucket(Bucket="only-eventbridge")
    s3.put_bucket_notification_configuration(Bucket="only-eventbridge",
                                             NotificationConfiguration={"EventBridgeConfiguration": {}})
    assert "EventBridgeConfiguration" in s3.get_bucket_notification_configuration(Bucket="only-eventbridge")
