package dev.atrest.s3;

import java.util.Locale;

/** How objects are re-encrypted: REENCRYPT_METHOD. */
public enum ReencryptMethod {
    /** UpdateObjectEncryption where it applies, an in-place copy only where it does not. */
    AUTO,
    /** UpdateObjectEncryption only: never rewrites data. */
    UPDATE,
    /** Always an in-place copy (conditional on the ETag). */
    COPY;

    static ReencryptMethod parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
