package dev.atrest.core.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The one Jackson mapper of a function: built once per container, thread-safe once configured. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "{...}}" is a truncated or concatenated event, not the first object of it.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /** Parses an event; a body that is not JSON becomes a {@link MalformedEventException}, never a crash. */
    public static JsonNode readTree(InputStream in) {
        try {
            JsonNode node = MAPPER.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new MalformedEventException("event is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event is not valid JSON: "
                    + UntrustedText.abbreviate(e.getOriginalMessage()));
        } catch (java.io.CharConversionException e) {
            // Bytes that are not text in any encoding Jackson detects (e.g. invalid UTF-32 code points).
            throw new MalformedEventException("event is not valid JSON text: "
                    + UntrustedText.abbreviate(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    public static <T> T convert(Object value, Class<T> type) {
        return MAPPER.convertValue(value, type);
    }
}
