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


def test_request_log_keeps_non_ascii_keys(client, request_log):
    s3 = client("s3")
    s3.create_bucket(Bucket="bkt")
    s3.put_object(Bucket="bkt", Key="résumé/日本.txt", Body=b"x")
    from atrest_emulator.classify import classify
    environ = {"REQUEST_METHOD": "HEAD", "PATH_INFO": "/bkt/résumé/日本.txt".encode("utf-8").decode("latin-1")}
    assert classify("s3", environ, b"").key == "résumé/日本.txt"
    assert [e["operation"] for e in request_log()] == ["CreateBucket", "PutObject"]
