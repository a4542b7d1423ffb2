package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.kms.RotationDecision.Action;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based (jqwik): for any DescribeKey facts (known KMS values, unknown strings, missing fields), any
 * rotation status and tags, and any valid policy, the pure policy decides a write only for a customer-managed,
 * symmetric, AWS_KMS-origin, Enabled, non-replica key out of policy and not exempt; the write always sets the
 * policy's period, and once written the key is compliant (one write converges, never a loop).
 */
class KeyRotationPolicyPropertiesTest {
    static final String EXEMPT = "atrest:exempt";

    record Policy(int period, int max) {
        KeyRotationPolicy policy() {
            return new KeyRotationPolicy(period, max, EXEMPT);
        }
    }

    static Arbitrary<String> field(String... known) {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(known)),
                Tuple.of(1, Arbitraries.just("UNKNOWN_TO_SDK_VERSION")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Arbitraries.integers().between(RotationConfig.MIN_PERIOD, RotationConfig.MAX_PERIOD)
                .flatMap(p -> Arbitraries.integers().between(p, RotationConfig.MAX_PERIOD).map(m -> new Policy(p, m)));
    }

    @Provide
    Arbitrary<KeyObservation> observations() {
        Arbitrary<String> manager = field("CUSTOMER", "AWS");
        Arbitrary<String> spec = field("SYMMETRIC_DEFAULT", "RSA_2048", "RSA_4096", "ECC_NIST_P256", "ECC_SECG_P256K1",
                "HMAC_256", "HMAC_512", "SM2", "ML_DSA_65");
        Arbitrary<String> usage = field("ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT");
        Arbitrary<String> origin = field("AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE");
        Arbitrary<String> state = field("Enabled", "Disabled", "PendingDeletion", "PendingImport",
                "PendingReplicaDeletion", "Unavailable", "Creating", "Updating");
        Arbitrary<String> store = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just((String) null)),
                Tuple.of(1, Arbitraries.of("cks-1", "")));
        Arbitrary<String> mrk = field("PRIMARY", "REPLICA");
        Arbitrary<String> primary = Arbitraries.of("arn:aws:kms:us-west-2:123456789012:key/mrk-1", "")
                .injectNull(0.3);
        Arbitrary<KeyFacts> random = Combinators.combine(manager, spec, usage, origin, state, store, mrk, primary)
                .as(KeyRotationPolicyPropertiesTest::facts);
        // Mostly an eligible key with at most one fact changed, so every branch of the policy is reached often.
        KeyFacts eligible = facts("CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "Enabled", null, null,
                null);
        Arbitrary<KeyFacts> nearEligible = Arbitraries.integers().between(0, 7).flatMap(i -> switch (i) {
            case 0 -> manager.map(v -> with(eligible, i, v));
            case 1 -> spec.map(v -> with(eligible, i, v));
            case 2 -> usage.map(v -> with(eligible, i, v));
            case 3 -> origin.map(v -> with(eligible, i, v));
            case 4 -> state.map(v -> with(eligible, i, v));
            case 5 -> store.map(v -> with(eligible, i, v));
            case 6 -> mrk.map(v -> with(eligible, i, v));
            default -> Arbitraries.just(eligible);
        });
        Arbitrary<KeyFacts> facts = Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, nearEligible));
        Arbitrary<RotationStatus> rotation = Combinators.combine(Arbitraries.of(true, false),
                        Arbitraries.integers().between(-10, 4000).injectNull(0.2))
                .as((on, days) -> new RotationStatus(on, on ? days : null, null))
                .injectNull(0.3);
        Arbitrary<Set<String>> tags = Arbitraries.of(EXEMPT, "team", "atrest:Exempt", "atrest:exempt ", "")
                .set().ofMaxSize(3).injectNull(0.3);
        return Combinators.combine(facts, rotation, tags).as(KeyObservation::new);
    }

    static KeyFacts facts(String manager, String spec, String usage, String origin, String state, String store,
                          String mrkType, String primary) {
        return new KeyFacts("arn:aws:kms:us-east-1:123456789012:key/k1", "k1", "us-east-1", manager, spec, usage,
                origin, state, store, mrkType, primary, primary == null ? null : "us-west-2");
    }

    /** {@code base} with fact {@code index} (0 manager .. 6 multi-Region type) set to {@code value}, null included. */
    static KeyFacts with(KeyFacts base, int index, String value) {
        return new KeyFacts(base.arn(), base.keyId(), base.region(),
                index == 0 ? value : base.keyManager(), index == 1 ? value : base.keySpec(),
                index == 2 ? value : base.keyUsage(), index == 3 ? value : base.origin(),
                index == 4 ? value : base.keyState(), index == 5 ? value : base.customKeyStoreId(),
                index == 6 ? value : base.multiRegionKeyType(), base.primaryArn(), base.primaryRegion());
    }

    static boolean eligible(KeyFacts key) {
        return "CUSTOMER".equals(key.keyManager())
                && "SYMMETRIC_DEFAULT".equals(key.keySpec())
                && "ENCRYPT_DECRYPT".equals(key.keyUsage())
                && "AWS_KMS".equals(key.origin())
                && key.customKeyStoreId() == null
                && "Enabled".equals(key.keyState())
                && (key.multiRegionKeyType() == null || "PRIMARY".equals(key.multiRegionKeyType()));
    }

    @Property(tries = 3000)
    void writesOnlyForAnEligibleKeyOutOfPolicy(@ForAll("policies") Policy policy,
                                               @ForAll("observations") KeyObservation seen) {
        RotationDecision decision = policy.policy().decide(seen);
        Statistics.label("action").collect(decision.action());
        Statistics.label("action").coverage(c -> {
            c.check(Action.ENABLE_ROTATION).percentage(p -> p > 0.5);
            c.check(Action.SHORTEN_PERIOD).percentage(p -> p > 0.5);
            c.check(Action.NONE).percentage(p -> p > 0.5);
        });
        assertThat(decision.action()).isNotNull();
        assertThat(decision.reason()).isNotBlank();
        if (decision.action().writes()) {
            assertThat(eligible(seen.key())).as("write for %s", seen.key()).isTrue();
            assertThat(seen.rotation()).as("rotation read before a write").isNotNull();
            assertThat(seen.tagKeys()).as("tags read before a write").isNotNull().doesNotContain(EXEMPT);
            assertThat(!seen.rotation().enabled() || seen.rotation().effectivePeriodDays() > policy.max())
                    .as("only a key out of policy is written").isTrue();
            assertThat(decision.periodDays()).isEqualTo(policy.period());
        } else {
            assertThat(decision.periodDays()).isNull();
        }
        if (decision.action() == Action.NONE) {
            assertThat(seen.rotation().enabled()).isTrue();
            assertThat(seen.rotation().effectivePeriodDays()).isLessThanOrEqualTo(policy.max());
        }
        if (!eligible(seen.key()) && !"REPLICA".equals(seen.key().multiRegionKeyType())) {
            assertThat(decision.action()).isIn(Action.NOT_APPLICABLE, Action.NOT_IN_SERVICE);
        }
    }

    /** Run the decision to its end as the service does (reads supplied from the observation), then apply the write. */
    @Property(tries = 2000)
    void oneWriteMakesTheKeyCompliant(@ForAll("policies") Policy policy,
                                      @ForAll("observations") KeyObservation facts) {
        KeyRotationPolicy rules = policy.policy();
        RotationStatus rotation = facts.rotation() == null ? new RotationStatus(false, null, null) : facts.rotation();
        Set<String> tags = facts.tagKeys() == null ? Set.of() : facts.tagKeys();
        KeyObservation seen = KeyObservation.of(facts.key());
        RotationDecision decision = rules.decide(seen);
        for (int step = 0; step < 3 && decision.action().outcome() == null
                && decision.action() != Action.FOLLOW_PRIMARY; step++) {
            seen = decision.action() == Action.READ_ROTATION_STATUS ? seen.withRotation(rotation) : seen.withTags(tags);
            decision = rules.decide(seen);
        }
        assertThat(decision.action().outcome() != null || decision.action() == Action.FOLLOW_PRIMARY)
                .as("a final decision within three steps, got %s", decision.action()).isTrue();
        if (decision.action().writes()) {
            KeyObservation after = KeyObservation.of(facts.key())
                    .withRotation(new RotationStatus(true, decision.periodDays(), null));
            assertThat(rules.decide(after).action()).isEqualTo(Action.NONE);
        }
    }
}
