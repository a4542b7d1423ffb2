package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.aws.ClientFactory;
import dev.atrest.testing.Emulator;
import dev.atrest.testing.EmulatorExtension;
import dev.atrest.testing.EventFiles;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.OriginType;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * What a sweep costs, request by request, on a Region shaped like the 306-key account an earlier sweep was measured
 * on (46 keys that cannot rotate or are out of service, 260 that can: 150 compliant, 110 not, 10 of those exempt;
 * most keys carrying some other tag), scaled down to 80 keys to keep the test short. bench/warm.py runs the full
 * 306 keys (dry run: 680 requests before, 555 now).
 */
@ExtendWith(EmulatorExtension.class)
class SweepRequestsEmulatorTest {
    /** How many keys of each kind. */
    record Mix(int awsManaged, int rsa, int hmac, int ecc, int imported, int cloudHsm, int pendingDeletion,
               int disabled, int compliant, int tooLong, int rotationOff, int exempt, int otherwiseTagged) {
        int keys() {
            return awsManaged + rsa + hmac + ecc + imported + cloudHsm + pendingDeletion + disabled + eligible();
        }

        int eligible() {
            return compliant + tooLong + rotationOff + exempt;
        }

        int toChange() {
            return tooLong + rotationOff;
        }

        /** The dry-run cost before the bulk tag read: every key described, ListKeys by 100, tags read key by key. */
        long dryRunBefore() {
            return keys() + eligible() + toChange() + exempt + (keys() + 99) / 100;
        }
    }

    static final Mix SMALL = new Mix(4, 2, 2, 1, 1, 1, 1, 2, 38, 10, 15, 3, 50);
    static final String[] AWS_SERVICES = {"acm", "dynamodb", "ebs", "elasticfilesystem", "es", "glue",
        "kinesisvideo", "lambda", "rds", "redshift", "s3", "secretsmanager", "ssm", "xray"};

    private ClientFactory clients;
    private KmsClient kms;

    @BeforeEach
    void setUp() {
        clients = new ClientFactory(Region.US_EAST_1);
        kms = clients.client("kms", KmsClient::builder);
    }

    @AfterEach
    void tearDown() {
        clients.close();
    }

    /** The keys of {@code mix}, as bench/warm.py seeds them. */
    void seed(Mix mix) {
        for (int i = 0; i < mix.awsManaged(); i++) {
            String service = AWS_SERVICES[i];
            kms.describeKey(b -> b.keyId("alias/aws/" + service));
        }
        for (int i = 0; i < mix.rsa(); i++) {
            kms.createKey(b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT));
        }
        for (int i = 0; i < mix.hmac(); i++) {
            kms.createKey(b -> b.keySpec(KeySpec.HMAC_256).keyUsage(KeyUsageType.GENERATE_VERIFY_MAC));
        }
        for (int i = 0; i < mix.ecc(); i++) {
            kms.createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY));
        }
        for (int i = 0; i < mix.imported(); i++) {
            kms.createKey(b -> b.origin(OriginType.EXTERNAL));
        }
        for (int i = 0; i < mix.cloudHsm(); i++) {
            kms.createKey(b -> b.origin(OriginType.AWS_CLOUDHSM).customKeyStoreId("cks-0123456789abcdef0"));
        }
        for (int i = 0; i < mix.pendingDeletion(); i++) {
            String key = kms.createKey(b -> {}).keyMetadata().keyId();
            kms.scheduleKeyDeletion(b -> b.keyId(key).pendingWindowInDays(7));
        }
        for (int i = 0; i < mix.disabled(); i++) {
            String key = kms.createKey(b -> {}).keyMetadata().keyId();
            kms.disableKey(b -> b.keyId(key));
        }
        for (int i = 0; i < mix.eligible(); i++) {
            int n = i;
            String key = kms.createKey(b -> {
                if (n < mix.otherwiseTagged()) {
                    b.tags(Tag.builder().tagKey("team").tagValue("t" + n % 7).build());
                }
            }).keyMetadata().keyId();
            if (n < mix.compliant()) {
                kms.enableKeyRotation(b -> b.keyId(key).rotationPeriodInDays(n % 2 == 0 ? 365 : 180));
            } else if (n < mix.compliant() + mix.tooLong()) {
                kms.enableKeyRotation(b -> b.keyId(key).rotationPeriodInDays(1000));
            } else if (n >= mix.eligible() - mix.exempt()) {
                kms.tagResource(b -> b.keyId(key).tags(Tag.builder().tagKey("atrest:exempt").tagValue("x").build()));
            }
        }
    }

    static Map<String, Long> operations(Emulator emulator) {
        return emulator.requests().stream().collect(Collectors.groupingBy(
                r -> r.get("service") + ":" + r.get("operation"), TreeMap::new, Collectors.counting()));
    }

    JsonNode sweep(boolean dryRun) {
        RotationConfig config = RotationConfig.builder().dryRun(dryRun).build();
        return KmsRotationEmulatorTest.invoke(new KmsRotationHandler(config, clients),
                EventFiles.text("scheduled-event.json"));
    }

    @Test
    void aSweepCostsADescribePerKeyAndARotationReadPerKeyThatCanRotate(Emulator emulator) {
        Mix mix = SMALL;
        seed(mix);
        assertThat(kms.listKeys(b -> b.limit(1000)).keys()).hasSize(mix.keys());

        emulator.clearRequests();
        JsonNode dry = sweep(true);
        Map<String, Long> dryOps = operations(emulator);
        long dryTotal = dryOps.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("MEASURE dry-run sweep of %d keys: %s, total %d (%.2f per key; before: %d)%n",
                mix.keys(), dryOps, dryTotal, (double) dryTotal / mix.keys(), mix.dryRunBefore());

        assertThat(dry.path("items")).hasSize(mix.keys());
        assertThat(dry.path("counts").path("CHANGED").asInt()).isEqualTo(mix.toChange());
        // No per-key tag read at all: one bulk read of the exempt keys, one page of aliases, one of keys.
        assertThat(dryOps).containsExactlyInAnyOrderEntriesOf(Map.of(
                "kms:ListKeys", 1L,
                "kms:ListAliases", 1L,
                "kms:DescribeKey", (long) mix.keys() - mix.awsManaged(),
                "kms:GetKeyRotationStatus", (long) mix.eligible(),
                "tagging:GetResources", 1L));
        assertThat(dryTotal).isEqualTo(mix.keys() + mix.eligible() - mix.awsManaged() + 3L)
                .isLessThan(mix.dryRunBefore());

        emulator.clearRequests();
        JsonNode live = sweep(false);
        Map<String, Long> liveOps = operations(emulator);
        long liveTotal = liveOps.values().stream().mapToLong(Long::longValue).sum();
        long liveBefore = mix.dryRunBefore() + 2L * mix.toChange();
        System.out.printf("MEASURE live sweep of %d keys: %s, total %d (%.2f per key; before: %d)%n",
                mix.keys(), liveOps, liveTotal, (double) liveTotal / mix.keys(), liveBefore);

        assertThat(live.path("counts").path("CHANGED").asInt()).isEqualTo(mix.toChange());
        // Each write: its key's own tags first, then EnableKeyRotation, then the verifying read.
        assertThat(liveOps).containsExactlyInAnyOrderEntriesOf(Map.of(
                "kms:ListKeys", 1L,
                "kms:ListAliases", 1L,
                "kms:DescribeKey", (long) mix.keys() - mix.awsManaged(),
                "kms:GetKeyRotationStatus", (long) mix.eligible() + mix.toChange(),
                "tagging:GetResources", 1L,
                "kms:ListResourceTags", (long) mix.toChange(),
                "kms:EnableKeyRotation", (long) mix.toChange()));
        assertThat(liveTotal).isLessThan(liveBefore);
    }
}
