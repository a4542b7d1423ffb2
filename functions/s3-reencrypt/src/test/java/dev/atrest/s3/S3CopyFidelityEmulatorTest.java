package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * The copy path keeps everything an object carries, or refuses: objects seeded with every property (content, user
 * metadata, every content header, tags, storage class, website redirect, checksum, ACL grants, and in a
 * lock-enabled bucket an Object Lock retention and legal hold) in buckets without versions, with versions and with
 * Object Lock, copied with CopyObject and with UploadPartCopy; the full end state is compared with the state before,
 * and the older versions with themselves. Each case's S3 requests are counted from the emulator's log.
 */
class S3CopyFidelityEmulatorTest extends S3EmulatorTest {
    static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
    static final String READER = "1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd1234abcd";
    static final long MULTIPART_BYTES = ReencryptConfig.MIN_PART_BYTES + 1000;
    /** Printed once at the end: the requests each case cost. */
    static final List<String> COSTS = new ArrayList<>();

    enum Kind {
        UNVERSIONED("atrest-it"), VERSIONED("atrest-versioned"), LOCKED("atrest-locked");

        final String bucket;

        Kind(String bucket) {
            this.bucket = bucket;
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (boolean multipart : new boolean[] {false, true}) {
                for (boolean grants : new boolean[] {false, true}) {
                    out.add(Arguments.of(kind, multipart, grants));
                }
            }
        }
        return out.stream();
    }

    private void bucket(Kind kind) {
        switch (kind) {
            case VERSIONED -> {
                f.s3.createBucket(b -> b.bucket(kind.bucket));
                f.versioned(kind.bucket);
            }
            case LOCKED -> f.lockedBucket(kind.bucket);
            default -> { }
        }
    }

    private String owner(String bucket) {
        return f.s3.getBucketAcl(b -> b.bucket(bucket)).owner().id();
    }

    /** Every property at once; unencrypted where auto mode copies it, SSE-S3 where copy mode or the lock does. */
    private String seed(Kind kind, String key, boolean multipart, boolean grants) {
        byte[] data = new byte[multipart ? (int) MULTIPART_BYTES : 2048];
        new Random(key.hashCode()).nextBytes(data);
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(kind.bucket).key(key)
                .contentType("text/csv; charset=utf-8").contentEncoding("identity").contentLanguage("fr-CA")
                .contentDisposition("attachment; filename=\"r é.csv\"").cacheControl("max-age=600")
                .expires(Instant.parse("2031-01-01T00:00:00Z"))
                .metadata(Map.of("owner", "finance", "source", "ledger v2"))
                .tagging("class=confidential&retention=7 years")
                .storageClass(StorageClass.STANDARD_IA)
                .websiteRedirectLocation("/moved/" + key)
                // A multipart copy keeps a full-object CRC; CopyObject keeps any checksum.
                .checksumAlgorithm(multipart ? ChecksumAlgorithm.CRC32 : ChecksumAlgorithm.SHA256)
                .serverSideEncryption(kind == Kind.UNVERSIONED ? null : ServerSideEncryption.AES256);
        if (grants) {
            // One grantee per permission: moto keeps only the first grantee of each grant header.
            put.grantFullControl("id=\"" + owner(kind.bucket) + "\"").grantRead("uri=\"" + ALL_USERS + "\"")
                    .grantReadACP("id=\"" + READER + "\"");
        }
        if (kind == Kind.LOCKED) {
            put.objectLockMode("GOVERNANCE").objectLockRetainUntilDate(Instant.now().plus(2, ChronoUnit.DAYS)
                    .truncatedTo(ChronoUnit.SECONDS)).objectLockLegalHoldStatus("ON");
        }
        return f.s3.putObject(put.build(), RequestBody.fromBytes(data)).versionId();
    }

    /** The requests a case costs, as the copy path makes them. */
    static List<String> expectedOperations(Kind kind, boolean multipart, boolean grants) {
        List<String> ops = new ArrayList<>(List.of("HeadObject", "GetObjectAcl"));
        if (grants) {
            ops.add("GetBucketAcl");
        }
        boolean versioned = kind != Kind.UNVERSIONED;
        if (multipart) {
            ops.addAll(List.of("GetObjectTagging", "CreateMultipartUpload", "ListMultipartUploads", "UploadPartCopy",
                    "UploadPartCopy"));
            if (!versioned) {
                ops.addAll(List.of("HeadObject", "GetObjectTagging"));
            }
            ops.add("CompleteMultipartUpload");
        } else {
            if (!versioned) {
                ops.add("HeadObject");
            }
            ops.add("CopyObject");
        }
        if (versioned) {
            ops.add("ListObjectVersions");
        }
        ops.add("HeadObject");
        if (multipart) {
            ops.add("GetObjectTagging");
        }
        if (grants) {
            ops.add("GetObjectAcl");
        }
        return ops;
    }

    @ParameterizedTest(name = "{0}, multipart {1}, ACL grants {2}")
    @MethodSource("cases")
    void theCopyKeepsEveryPropertyAndTheHistory(Kind kind, boolean multipart, boolean grants) {
        bucket(kind);
        String key = "fidelity/" + kind + "/" + (multipart ? "multipart" : "single") + (grants ? "-acl" : "")
                + " ü.csv";
        String seededVersion = seed(kind, key, multipart, grants);
        ObjectSnapshot before = ObjectSnapshot.of(f.s3, kind.bucket, key, seededVersion);
        ReencryptConfig config = f.config().withMethod(kind == Kind.VERSIONED ? ReencryptMethod.COPY
                : ReencryptMethod.AUTO);
        if (multipart) {
            config = config.withMultipart(1024, ReencryptConfig.MIN_PART_BYTES);
        }
        f.emulator.clearRequests();

        JsonNode item = f.invoke(config, S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice", kind.bucket, key))
                .path("items").get(0);

        List<String> operations = f.s3Operations();
        COSTS.add(String.format("%-11s %-9s %-9s %-7s %2d  %s", kind, multipart ? "multipart" : "single",
                grants ? "grants" : "private", kind == Kind.LOCKED ? "lock" : "-", operations.size(), operations));
        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("reason").asText()).endsWith("verified");
        assertThat(item.path("details").path("method").asText()).isEqualTo(multipart ? "UploadPartCopy"
                : "CopyObject");
        if (kind == Kind.LOCKED) {
            assertThat(item.path("reason").asText()).contains("UpdateObjectEncryption refuses");
            assertThat(item.path("details").path("carried").path("objectLock").asText()).contains("legal hold");
        }
        assertThat(operations).isEqualTo(expectedOperations(kind, multipart, grants));

        ObjectSnapshot after = ObjectSnapshot.current(f.s3, kind.bucket, key);
        assertThat(after.withoutVersion()).isEqualTo(before.encrypted(f.keyArn).withoutVersion());
        if (kind != Kind.UNVERSIONED) {
            assertThat(after.versionId()).isNotEqualTo(seededVersion);
            assertThat(ObjectSnapshot.of(f.s3, kind.bucket, key, seededVersion)).as("the version copied is untouched")
                    .isEqualTo(before);
            assertThat(f.s3.listObjectVersions(b -> b.bucket(kind.bucket).prefix(key)).versions()).hasSize(2);
        }
        assertThat(f.s3.listMultipartUploads(b -> b.bucket(kind.bucket)).uploads()).isEmpty();
    }

    @AfterAll
    static void printCosts() {
        System.out.printf("== S3 copy path, requests per object (%d properties compared per object) ==%n"
                + "bucket      copy      ACL       lock    n   requests%n%s%n", ObjectSnapshot.propertiesCompared(),
                String.join("\n", COSTS));
    }

    @Test
    void inABucketOwnerEnforcedBucketThereIsNoAclToCarry() {
        f.s3.createBucket(b -> b.bucket("atrest-enforced").objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED));
        f.s3.putObject(b -> b.bucket("atrest-enforced").key("k").metadata(Map.of("a", "1")),
                RequestBody.fromString("x"));
        ObjectSnapshot before = ObjectSnapshot.current(f.s3, "atrest-enforced", "k");
        f.emulator.clearRequests();

        JsonNode item = f.invoke(S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice", "atrest-enforced", "k"))
                .path("items").get(0);

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(f.s3Operations()).isEqualTo(S3ReencryptEmulatorTest.UNVERSIONED_COPY);
        assertThat(ObjectSnapshot.current(f.s3, "atrest-enforced", "k")).isEqualTo(before.encrypted(f.keyArn));
    }

    @Test
    void anAclACopyCannotCarryIsReportedAndTheObjectLeftAlone() {
        f.put("write-grant", "x", null);
        // A WRITE grant: S3 takes it in a PutObjectAcl document, but no write can set it again.
        String owner = owner(S3Fixture.BUCKET);
        List<software.amazon.awssdk.services.s3.model.Grant> grants = List.of(
                software.amazon.awssdk.services.s3.model.Grant.builder().grantee(x -> x.id(owner).type("CanonicalUser"))
                        .permission("FULL_CONTROL").build(),
                software.amazon.awssdk.services.s3.model.Grant.builder().grantee(x -> x.id(READER).type("CanonicalUser"))
                        .permission("WRITE").build());
        f.s3.putObjectAcl(b -> b.bucket(S3Fixture.BUCKET).key("write-grant").accessControlPolicy(p -> p
                .owner(o -> o.id(owner)).grants(grants)));
        ObjectSnapshot before = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, "write-grant");
        f.emulator.clearRequests();
        String batch = "{\"invocationSchemaVersion\":\"2.0\",\"invocationId\":\"i\",\"tasks\":[{\"taskId\":\"t\","
                + "\"s3Bucket\":\"" + S3Fixture.BUCKET + "\",\"s3Key\":\"write-grant\"}]}";

        JsonNode result = f.invoke(batch).path("results").get(0);

        assertThat(result.path("resultCode").asText()).as(result.toString()).isEqualTo("PermanentFailure");
        assertThat(result.path("resultString").asText()).startsWith("REPORTED COPY: not copied")
                .contains("WRITE").contains("needs a person");
        assertThat(f.s3Operations()).containsExactly("HeadObject", "GetObjectAcl");
        assertThat(ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, "write-grant")).isEqualTo(before);
    }

    @Test
    void aChecksumOnlyCopyObjectKeepsIsCopiedWithCopyObjectAboveTheMultipartThreshold() {
        f.s3.putObject(b -> b.bucket(S3Fixture.BUCKET).key("sha").checksumAlgorithm(ChecksumAlgorithm.SHA256),
                RequestBody.fromBytes(new byte[4096]));
        ObjectSnapshot before = ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, "sha");

        JsonNode item = f.invoke(f.config().withMultipart(1024, ReencryptConfig.MIN_PART_BYTES),
                S3Fixture.notification("sha")).path("items").get(0);

        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("CHANGED");
        assertThat(item.path("action").asText()).isEqualTo("COPY");
        assertThat(item.path("details").path("note").asText()).contains("only a single copy keeps its SHA256");
        assertThat(ObjectSnapshot.current(f.s3, S3Fixture.BUCKET, "sha")).isEqualTo(before.encrypted(f.keyArn));
    }

    @Test
    void aCopyS3RefusesLeavesTheLockedObjectAndItsHistoryAsTheyWere() {
        bucket(Kind.LOCKED);
        String version = seed(Kind.LOCKED, "refused", false, false);
        ObjectSnapshot before = ObjectSnapshot.current(f.s3, Kind.LOCKED.bucket, "refused");
        // As S3 answers a role without s3:PutObjectRetention or s3:PutObjectLegalHold.
        f.fault("CopyObject", 403, "AccessDenied", -1);

        JsonNode item = f.invoke(S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice", Kind.LOCKED.bucket,
                "refused")).path("items").get(0);

        f.clearFaults();
        assertThat(item.path("outcome").asText()).as(item.toString()).isEqualTo("FAILED");
        assertThat(item.path("reason").asText()).contains("AccessDenied");
        assertThat(ObjectSnapshot.current(f.s3, Kind.LOCKED.bucket, "refused")).isEqualTo(before);
        assertThat(before.versionId()).isEqualTo(version);
        assertThat(f.s3.listObjectVersions(b -> b.bucket(Kind.LOCKED.bucket)).versions()).hasSize(1);
    }

    @Test
    void aDryRunOfALockedObjectNamesTheCopyAndWritesNothing() {
        bucket(Kind.LOCKED);
        seed(Kind.LOCKED, "dry", false, false);
        f.emulator.clearRequests();

        JsonNode item = f.invoke(f.config().withDryRun(true), S3Fixture.notificationBy("AWS:AROAEXAMPLEROLEID:alice",
                Kind.LOCKED.bucket, "dry")).path("items").get(0);

        assertThat(item.path("action").asText()).isEqualTo("COPY");
        assertThat(item.path("reason").asText()).startsWith("dry run, would re-encrypt").contains("Object Lock");
        assertThat(f.s3Operations()).containsExactly("HeadObject");
    }
}
