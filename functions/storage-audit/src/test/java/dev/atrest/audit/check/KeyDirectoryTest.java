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
    /** What KMS answers per "region/key"; a Kind answers with that failure. */
    private final Map<String, Object> kms = new LinkedHashMap<>();
    private final KeyDirectory keys = new KeyDirectory((region, key) -> {
        synchronized (asked) {
            asked.add(region + "/" + key);
        }
        Object answer = kms.get(region + "/" + key);
        if (answer instanceof AwsFailure.Kind kind) {
            throw new AwsFailure(kind, "DescribeKey " + key, null, kind.name(), null);
        }
        return (KeyManager) answer;
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
        assertThat(keys.manager("us-east-1", "denied")).isEqualTo(KeyManager.UNKNOWN);
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
}
