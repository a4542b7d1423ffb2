package dev.atrest.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Header values read one byte per character are written back as the bytes S3 holds, not encoded twice. */
class HeaderTextTest {
    static String asRead(String stored) {
        return new String(stored.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/csv", "attachment; filename=\"r é.csv\"", "/moved/a ü.csv", "日本語", "=?UTF-8?B?w6k=?="})
    void aUtf8ValueReadByteByByteIsTheStoredText(String stored) throws Exception {
        assertThat(HeaderText.decode(asRead(stored))).isEqualTo(stored);
        assertThat(HeaderText.decode(asRead(stored)).getBytes(StandardCharsets.UTF_8))
                .isEqualTo(stored.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"'caf\u00e9', raw Latin-1 byte", "'\u00c3', a lone lead byte"})
    void bytesThatAreNotUtf8CannotBeWrittenAgain(String read, String why) {
        assertThatThrownBy(() -> HeaderText.decode(read)).isInstanceOf(HeaderText.NotUtf8.class);
    }

    @org.junit.jupiter.api.Test
    void textAlreadyDecodedAndNullStayAsTheyAre() throws Exception {
        assertThat(HeaderText.decode("日本")).isEqualTo("日本");
        assertThat(HeaderText.decode(null)).isNull();
    }
}
