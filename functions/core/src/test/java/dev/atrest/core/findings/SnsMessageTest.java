package dev.atrest.core.findings;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.UntrustedText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnsMessageTest {
    static final String HOSTILE = "\u202eevil <b onmouseover=x>&'\u0007\r\n\u2028\ud800" + "A".repeat(300_000);

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "atrest audit: 3 non-compliant | atrest audit: 3 non-compliant",
        "tag \u202e <x> ü               | tag ? <x> ?",
        "''                            | atrest",
    })
    void subjectsArePrintableAsciiOfAtMost100(String in, String expected) {
        assertThat(SnsMessage.subject(in)).isEqualTo(expected);
        assertThat(SnsMessage.subject(in + "x".repeat(500))).hasSizeLessThanOrEqualTo(100).matches("[\\x20-\\x7E]+");
    }

    @Test
    void everyStringIsNeutralisedAndBoundedAndNoMarkupIsWrittenAsSuch() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "kms-rotation");
        body.put("caller", Map.of("arn", HOSTILE, HOSTILE, "a field name is text too"));
        String text = SnsMessage.message(body);

        assertThat(bytes(text)).isLessThanOrEqualTo(SnsMessage.MAX_MESSAGE_BYTES);
        assertThat(text).matches("[\\x20-\\x7E]*").doesNotContain("<", ">", "&", "'");
        JsonNode read = Json.MAPPER.readTree(text);
        String arn = read.path("caller").path("arn").asText();
        assertThat(arn).hasSizeLessThanOrEqualTo(SnsMessage.MAX_FIELD).startsWith("\\u202eevil <b onmouseover=x>&'")
                .contains("\\u0007", "\\u000d", "\\u000a", "\\u2028", "\\ud800", "(" + HOSTILE.length() + " chars)")
                .doesNotContain("\u202e", "\u0007", "\n");
        assertThat(read.path("source").asText()).isEqualTo("kms-rotation");
    }

    @Test
    void aMessageTooLargeForSnsLosesListItemsNotTheNotice() throws Exception {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(Map.of("resource", "bucket/key-" + i + "-" + "k".repeat(1000), "outcome", "CHANGED"));
        }
        String text = SnsMessage.message(Map.of("source", "s3-backfill", "items", items));

        assertThat(bytes(text)).isLessThanOrEqualTo(SnsMessage.MAX_MESSAGE_BYTES);
        JsonNode read = Json.MAPPER.readTree(text);
        assertThat(read.path("source").asText()).isEqualTo("s3-backfill");
        JsonNode kept = read.path("items");
        assertThat(kept.size()).isBetween(2, 2000);
        assertThat(kept.get(kept.size() - 1).asText()).contains("more left out to fit an SNS message");
        assertThat(kept.get(0).path("resource").asText()).startsWith("bucket/key-0-");
    }

    @Test
    void boundKeepsTheLimitWithItsMarker() {
        assertThat(UntrustedText.bound("short", 10)).isEqualTo("short");
        assertThat(UntrustedText.bound(null, 10)).isNull();
        for (int max : new int[] {20, 64, 128, 1024}) {
            String b = UntrustedText.bound(HOSTILE, max);
            assertThat(b).hasSizeLessThanOrEqualTo(max).doesNotContain("\u202e", "\u0007", "\n");
        }
        assertThat(UntrustedText.bound("\u202e".repeat(10), 20)).hasSizeLessThanOrEqualTo(20).doesNotContain("\u202e");
        assertThat(UntrustedText.bound("\ud83d\ude00".repeat(100), 30)).hasSizeLessThanOrEqualTo(30)
                .doesNotEndWith("\ud83d");
    }
}
