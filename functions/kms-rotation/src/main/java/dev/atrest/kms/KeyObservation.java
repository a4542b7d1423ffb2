package dev.atrest.kms;

import java.util.Set;

/**
 * What is known about a key so far. Facts are read lazily, only as far as the policy needs them, so a key that is
 * not applicable costs one DescribeKey and a compliant key never has its tags read.
 *
 * @param rotation null until read
 * @param tagKeys null until read
 */
public record KeyObservation(KeyFacts key, RotationStatus rotation, Set<String> tagKeys) {
    public static KeyObservation of(KeyFacts key) {
        return new KeyObservation(key, null, null);
    }

    public KeyObservation withRotation(RotationStatus status) {
        return new KeyObservation(key, status, tagKeys);
    }

    public KeyObservation withTags(Set<String> tags) {
        return new KeyObservation(key, rotation, Set.copyOf(tags));
    }
}
