package dev.atrest.audit.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RunFactsTest {

    @Test
    void keepsOnlyTheKindsSomeCheckConsumes() {
        FactKind<String> unread = new FactKind<>("unread", String.class);
        RunFacts facts = new RunFacts(Set.of(KeyUse.KIND));
        KeyUse use = new KeyUse("us-east-1", "k", "arn:aws:s3:::b", "s3-bucket-default-kms");

        facts.add(KeyUse.KIND, use);
        facts.add(unread, "dropped");

        assertThat(facts.all(KeyUse.KIND)).containsExactly(use);
        assertThat(facts.all(unread)).isEmpty();
    }

    @Test
    void aFailedProducerLeavesItsKindIncompleteInThatRegionOnly() {
        RunFacts facts = new RunFacts(Set.of(KeyUse.KIND));
        facts.incomplete(KeyUse.KIND, "eu-west-1");

        assertThat(facts.complete(KeyUse.KIND, "eu-west-1")).isFalse();
        assertThat(facts.complete(KeyUse.KIND, "us-east-1")).isTrue();
    }

    @Test
    void anIncompletenessARetryMayFixIsKnownAsSuch() {
        RunFacts facts = new RunFacts(Set.of(KeyUse.KIND));
        facts.incomplete(KeyUse.KIND, "eu-west-1", true);
        facts.incomplete(KeyUse.KIND, "us-east-1", false);
        facts.incomplete(KeyUse.KIND, "ap-south-1");

        assertThat(facts.incompleteMayPassLater(KeyUse.KIND, "eu-west-1")).isTrue();
        assertThat(facts.incompleteMayPassLater(KeyUse.KIND, "us-east-1")).isFalse();
        assertThat(facts.incompleteMayPassLater(KeyUse.KIND, "ap-south-1")).isFalse();
        assertThat(facts.complete(KeyUse.KIND, "eu-west-1")).isFalse();
    }
}
