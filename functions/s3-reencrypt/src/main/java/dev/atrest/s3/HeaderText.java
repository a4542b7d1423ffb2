package dev.atrest.s3;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Header values as S3 stored them. The SDK reads response headers one byte per character (ISO-8859-1) and writes
 * request headers as UTF-8, so a non-ASCII value read and written back as it was read would be encoded twice
 * ("é" becomes "Ã©"). A value whose bytes are UTF-8 is decoded as such; one whose bytes are not cannot be written
 * again byte for byte by the SDK. Pure.
 */
final class HeaderText {
    private HeaderText() {}

    /** A value that the SDK cannot write back as the bytes S3 holds. */
    static final class NotUtf8 extends Exception {
        private static final long serialVersionUID = 1L;

        NotUtf8() {
            super(null, null, false, false);
        }
    }

    /** The value S3 holds, from the SDK's one-byte-per-character reading of it; null stays null. */
    static String decode(String read) throws NotUtf8 {
        if (read == null) {
            return null;
        }
        boolean ascii = true;
        for (int i = 0; i < read.length(); i++) {
            char c = read.charAt(i);
            if (c > 0xFF) {
                return read; // not a byte-per-character reading: already text
            }
            ascii &= c < 0x80;
        }
        if (ascii) {
            return read;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(read.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8();
        }
    }
}
