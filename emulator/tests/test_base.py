def test_request_log_names_s3_operations(client, request_log):
    s3 = client("s3")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="dir/a b+c.txt", Body=b"x")
    s3.head_object(Bucket="bkt", Key="dir/a b+c.txt")
    s3.copy_object(Bucket="bkt", Key="copy", CopySource={"Bucket": "bkt", "Key": "dir/a b+c.txt"})
    ops = [(e["service"], e["operation"]) for e in request_log()]
    assert ops == [("s3", "CreateBucket"), ("s3", "PutObject"), ("s3", "HeadObject"), ("s3", "CopyObject")]


def test_request_log_names_json_and_query_operations(client, request_log):
    client("kms").list_keys()
    client("ec2").describe_volumes()
    ops = [(e["service"], e["operation"]) for e in request_log()]
    assert ops == [("kms", "ListKeys"), ("ec2", "DescribeVolumes")]


def test_reset_clears_state_and_log(client, request_log, endpoint):
    import urllib.request
    s3 = client("s3")
    s3.create_bucket(Bucket="gone")
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"))
    assert request_log() == []
    assert s3.list_buckets()["Buckets"] == []
