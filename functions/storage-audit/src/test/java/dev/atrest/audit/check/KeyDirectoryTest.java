package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atrest.core.aws.AwsFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeyDirectoryTest {
    private final List<String> asked = new ArrayList<>();
    /** What KMS answers per "region/key": a manager (the key's ARN is arn:<key>), or a failure kind. */
    private final Map<String, Object> kms = new LinkedHashMap<>();
    private final Map<String, List<String>> listed = new LinkedHashMap<>();
    private final KeyDirectory keys = new KeyDirectory(new KeyDirectory.Kms() {
        @Override
        public KeyInfo describe(String region, String key) {
            synchronized (asked) {
                asked.add(region + "/" + key);
            }
            Object answer = kms.get(region + "/" + key);
            if (answer instanceof AwsFailure.Kind kind) {
                throw new AwsFailure(kind, "DescribeKey " + key, null, kind.name(), null);
            }
            String arn = key.startsWith("arn:") ? key : "arn:" + key;
            return new KeyInfo(key, arn, (KeyManager) answer, "Enabled", null, null, null, null);
        }

        @Override
        public List<String> keyArns(String region) {
            synchronized (asked) {
                asked.add(region + "/ListKeys");
            }
            return listed.getOrDefault(region, List.of());
        }
    });

    @Test
    void asksKmsOncePerKeyAndRegionWhateverTheNumberOfResourcesNamingIt() throws Exception {
        kms.put("us-east-1/k1", KeyManager.CUSTOMER);
        kms.put("eu-west-1/k1", KeyManager.AWS);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<KeyManager>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> keys.manager("us-east-1", "k1")));
            }
            for (Future<KeyManager> f : answers) {
                assertThat(f.get()).isEqualTo(KeyManager.CUSTOMER);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(keys.manager("eu-west-1", "k1")).isEqualTo(KeyManager.AWS);
        assertThat(asked).containsExactly("us-east-1/k1", "eu-west-1/k1");
    }

    @Test
    void referencesThatSayEverythingAreNotLookedUp() {
        assertThat(keys.manager("us-east-1", "alias/aws/ebs")).isEqualTo(KeyManager.AWS);
        assertThat(keys.manager("us-east-1", null)).isNull();
        assertThat(asked).isEmpty();
    }

    @Test
    void aKeyKmsWillNotDescribeIsUnknownAndNotAskedAgain() {
        kms.put("us-east-1/denied", AwsFailure.Kind.ACCESS_DENIED);
        assertThat(keys.manager("us-east-1", "denied")).isEqualTo(KeyManager.UNKNOWN);
        assertThat(keys.key("us-east-1", "denied").described()).isFalse();
        assertThat(keys.key("us-east-1", "denied").failure()).contains("ACCESS_DENIED");
        assertThat(asked).containsExactly("us-east-1/denied");
    }

    @Test
    void aMomentaryFailureFailsTheCallerAndIsAskedAgainNextTime() {
        kms.put("us-east-1/k", AwsFailure.Kind.RETRYABLE);
        assertThatThrownBy(() -> keys.manager("us-east-1", "k")).isInstanceOf(AwsFailure.class);
        kms.put("us-east-1/k", KeyManager.CUSTOMER);
        assertThat(keys.manager("us-east-1", "k")).isEqualTo(KeyManager.CUSTOMER);
        assertThat(asked).containsExactly("us-east-1/k", "us-east-1/k");
    }

    @Test
    void aRegionsKeysAreListedOnceAndAKeyNamedByItsArnLaterIsNotDescribedAgain() {
        kms.put("us-east-1/k1", KeyManager.CUSTOMER);
        kms.put("us-east-1/arn:k2", KeyManager.AWS);
        listed.put("us-east-1", List.of("arn:k1", "arn:k2"));
        kms.put("us-east-1/arn:k1", KeyManager.CUSTOMER);

        keys.manager("us-east-1", "k1"); // a volume names the key by id: its ARN is remembered too
        assertThat(keys.inventory("us-east-1")).extracting(KeyInfo::arn).containsExactly("arn:k1", "arn:k2");
        assertThat(keys.inventory("us-east-1")).hasSize(2);

        assertThat(asked).containsExactly("us-east-1/k1", "us-east-1/ListKeys", "us-east-1/arn:k2");
    }
}
