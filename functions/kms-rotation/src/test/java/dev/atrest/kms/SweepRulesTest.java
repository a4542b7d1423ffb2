package dev.atrest.kms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrest.kms.RotationDecision.Action;
import dev.atrest.kms.SweepRules.TagSource;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepRulesTest {

    /** A write never rests on the bulk read alone; nothing else needs the key's own tags. */
    @ParameterizedTest(name = "{0} from {1}, dryRun={2} -> confirm {3}")
    @CsvSource({
        "ENABLE_ROTATION, BULK, false, true",
        "SHORTEN_PERIOD,  BULK, false, true",
        "ENABLE_ROTATION, BULK, true,  false",
        "SHORTEN_PERIOD,  BULK, true,  false",
        "ENABLE_ROTATION, KEY,  false, false",
        "SHORTEN_PERIOD,  KEY,  false, false",
        "EXEMPT,          BULK, false, false",
        "EXEMPT,          KEY,  false, false",
        "NONE,            BULK, false, false",
        "NOT_IN_SERVICE,  BULK, false, false",
        "NOT_APPLICABLE,  BULK, false, false",
    })
    void exemptionIsConfirmedOnTheKeyBeforeAWrite(Action action, TagSource source, boolean dryRun, boolean confirm) {
        RotationDecision decision = new RotationDecision(action, action.writes() ? 365 : null, "test");
        assertThat(SweepRules.mustConfirmExemption(decision, source, dryRun)).isEqualTo(confirm);
    }

    @ParameterizedTest(name = "replica in {0}, primary in {1}, swept {2} -> left to the primary's Region: {3}")
    @CsvSource(nullValues = "-", value = {
        "us-east-1, us-west-2, us-east-1;us-west-2, true",
        "us-east-1, us-west-2, us-east-1,           false",
        "us-east-1, us-west-2, us-west-2,           true",
        "us-east-1, us-east-1, us-east-1,           false",
        "us-east-1, -,         us-east-1;us-west-2, false",
    })
    void replicaIsLeftToItsPrimarysRegionWhenThatIsSwept(String region, String primaryRegion, String swept,
                                                          boolean left) {
        KeyFacts replica = new KeyFacts("arn:aws:kms:" + region + ":123456789012:key/mrk-1", "mrk-1", region,
                "CUSTOMER", "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT", "AWS_KMS", "Enabled", null, "REPLICA",
                primaryRegion == null ? null : "arn:aws:kms:" + primaryRegion + ":123456789012:key/mrk-1",
                primaryRegion);
        assertThat(SweepRules.primarySweptInItsRegion(replica, Set.of(swept.split(";")))).isEqualTo(left);
    }

    @ParameterizedTest(name = "{0} -> reserved for AWS managed keys: {1}")
    @CsvSource(nullValues = "-", value = {
        "alias/aws/ebs,            true",
        "alias/aws/secretsmanager, true",
        "alias/aws/,               false",
        "alias/aws,                false",
        "alias/awsome,             false",
        "alias/AWS/ebs,            false",
        "alias/app/aws/ebs,        false",
        "aws/ebs,                  false",
        "-,                        false",
    })
    void onlyTheReservedAliasPrefixMarksAnAwsManagedKey(String alias, boolean reserved) {
        assertThat(SweepRules.reservedForAwsManagedKeys(alias)).isEqualTo(reserved);
    }
}
