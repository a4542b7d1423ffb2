package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.MalformedEventException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static String record(String key) {
        return "{'eventSource':'aws:s3','eventName':'ObjectCreated:Put','userIdentity':{'principalId':'AWS:X:alice'},"
                + "'s3':{'bucket':{'name':'b'},'object':{'key':'" + key + "'}}}";
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "a+b.txt                           | a b.txt",
        "a%2Bb.txt                         | a+b.txt",
        "dir/sub/file                      | dir/sub/file",
        "dir%2Fsub%2Ffile                  | dir/sub/file",
        "r%C3%A9sum%C3%A9+final.csv        | résumé final.csv",
        "%E6%97%A5%E6%9C%AC%2F%F0%9F%94%91 | 日本/🔑",
        "100%25                            | 100%",
    })
    void notificationKeysAreFormDecoded(String raw, String decoded) {
        Trigger t = EventParser.parse(json("{'Records':[" + record(raw) + "]}"));
        assertThat(t.kind()).isEqualTo(Trigger.Kind.S3_NOTIFICATION);
        assertThat(t.tasks()).singleElement().satisfies(task -> {
            assertThat(task.problem()).isNull();
            assertThat(task.bucket()).isEqualTo("b");
            assertThat(task.key()).isEqualTo(decoded);
            assertThat(task.principal()).isEqualTo("AWS:X:alice");
            assertThat(task.versionId()).isNull();
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "[]",
        "'text'",
        "{}",
        "{'Records':[]}",
        "{'Records':{}}",
        "{'Records':'x'}",
        "{'detail-type':'Object Deleted','source':'aws.s3','detail':{}}",
        "{'detail-type':'Object Created','source':'aws.ec2','detail':{}}",
        "{'detail-type':'Object Created','source':'aws.s3'}",
        "{'detail-type':'Object Created','source':'aws.s3','detail':'x'}",
        "{'invocationSchemaVersion':'1.0','invocationId':'i','tasks':[{'taskId':'t'}]}",
        "{'invocationSchemaVersion':'2.0','tasks':[{'taskId':'t','s3Bucket':'b','s3Key':'k'}]}",
        "{'invocationSchemaVersion':'2.0','invocationId':'i','tasks':[]}",
        "{'invocationSchemaVersion':'2.0','invocationId':'i','tasks':[{'s3Bucket':'b','s3Key':'k'}]}",
        "{'invocationSchemaVersion':'2.0','invocationId':'i','tasks':[{'taskId':7,'s3Bucket':'b','s3Key':'k'}]}",
    })
    void malformedEnvelopesAreRejectedWhole(String event) {
        assertThatThrownBy(() -> EventParser.parse(json(event))).isInstanceOf(MalformedEventException.class);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "'x'",
        "{'s3':{'bucket':{'name':'b'},'object':{}}}",
        "{'s3':{'bucket':{'name':'b'},'object':{'key':''}}}",
        "{'s3':{'bucket':{'name':'b'},'object':{'key':42}}}",
        "{'s3':{'bucket':{'name':['b']},'object':{'key':'k'}}}",
        "{'s3':{'bucket':{},'object':{'key':'k'}}}",
        "{'s3':{'bucket':{'name':'b'},'object':{'key':'bad%zzescape'}}}",
        "{'eventSource':'aws:sqs','s3':{'bucket':{'name':'b'},'object':{'key':'k'}}}",
        "{'eventName':'ObjectRemoved:Delete','s3':{'bucket':{'name':'b'},'object':{'key':'k'}}}",
    })
    void aBadRecordIsReportedAndTheOthersKept(String bad) {
        Trigger t = EventParser.parse(json("{'Records':[" + bad + "," + record("good") + "]}"));
        assertThat(t.tasks()).hasSize(2);
        assertThat(t.tasks().get(0).problem()).isNotBlank();
        assertThat(t.tasks().get(0).id()).isEqualTo("Records[0]");
        assertThat(t.tasks().get(1).problem()).isNull();
        assertThat(t.tasks().get(1).key()).isEqualTo("good");
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{'taskId':'t','s3Bucket':'b','s3Key':'backfill/old%20object.bin','s3VersionId':null} | backfill/old object.bin | ",
        "{'taskId':'t','s3Bucket':'b','s3Key':'a+b','s3VersionId':'v1'}                      | a b                     | v1",
        "{'taskId':'t','s3Bucket':'b','s3Key':'k'}                                            | k                       | ",
    })
    void batchTasks(String task, String key, String version) {
        Trigger t = EventParser.parse(json("{'invocationSchemaVersion':'2.0','invocationId':'inv','job':{'id':'j'},"
                + "'tasks':[" + task + "]}"));
        assertThat(t.kind()).isEqualTo(Trigger.Kind.BATCH_OPERATIONS);
        assertThat(t.invocationId()).isEqualTo("inv");
        assertThat(t.tasks()).singleElement().satisfies(x -> {
            assertThat(x.problem()).isNull();
            assertThat(x.id()).isEqualTo("t");
            assertThat(x.key()).isEqualTo(key);
            assertThat(x.versionId()).isEqualTo(version);
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{'taskId':'t','s3Bucket':'b'}",
        "{'taskId':'t','s3Bucket':'b','s3Key':5}",
        "{'taskId':'t','s3Bucket':'b','s3Key':'k','s3VersionId':3}",
    })
    void badBatchTasksKeepTheirIdForTheirResult(String task) {
        Trigger t = EventParser.parse(json("{'invocationSchemaVersion':'2.0','invocationId':'inv','tasks':[" + task
                + "]}"));
        assertThat(t.tasks()).singleElement().satisfies(x -> {
            assertThat(x.id()).isEqualTo("t");
            assertThat(x.problem()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"invoices/2026/nov 20.pdf", "a+b", "100%"})
    void eventBridgeKeysAreTakenAsTheyAre(String key) {
        Trigger t = EventParser.parse(json("{'detail-type':'Object Created','source':'aws.s3','id':'e1','detail':"
                + "{'bucket':{'name':'b'},'object':{'key':'" + key + "','version-id':'v'},'requester':'123456789012'}}"));
        assertThat(t.kind()).isEqualTo(Trigger.Kind.EVENTBRIDGE);
        assertThat(t.tasks()).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo(key);
            assertThat(x.versionId()).isNull();
            assertThat(x.principal()).isNull();
        });
    }
}
