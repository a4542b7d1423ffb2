package dev.atrest.core.findings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.atrest.core.json.Json;
import dev.atrest.core.json.UntrustedText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What atrest publishes to SNS, made safe to deliver whatever text it carries: CloudTrail caller fields, tags, object
 * keys and bucket names come from whoever made the call or named the thing. Every notice must reach its topic, so:
 *
 * <ul>
 *   <li>the subject is printable ASCII of at most {@link #MAX_SUBJECT} characters (SNS refuses anything else);</li>
 *   <li>each string of the message (values and field names) is neutralised (control, format and bidi characters
 *       escaped, see {@link UntrustedText}) and bounded to {@link #MAX_FIELD} characters;</li>
 *   <li>the JSON escapes every non-ASCII character and {@code < > & '}, so no markup or direction override reaches a
 *       reader as such, while a JSON reader still gets the (bounded) value;</li>
 *   <li>the whole message stays under {@link #MAX_MESSAGE_BYTES} (SNS takes 256 KB): the longest lists are cut
 *       (saying how many were left out), then the fields shortened, and if even that is too much a minimal notice
 *       says so.</li>
 * </ul>
 */
public final class SnsMessage {
    public static final int MAX_SUBJECT = 100;
    public static final int MAX_FIELD = 2048;
    /** SNS's limit is 262,144 bytes for the message and its attributes: room left for the envelope. */
    public static final int MAX_MESSAGE_BYTES = 250_000;

    private static final ObjectWriter WRITER = writer();

    private SnsMessage() {}

    /** Printable ASCII, at most 100 characters, never empty. */
    public static String subject(String text) {
        String ascii = text == null ? "" : text.replaceAll("[^\\x20-\\x7E]", "?").strip();
        if (ascii.isEmpty()) {
            ascii = "atrest";
        }
        return ascii.length() <= MAX_SUBJECT ? ascii : ascii.substring(0, MAX_SUBJECT - 3) + "...";
    }

    /** The body as JSON, neutralised and bounded as the class says. */
    public static String message(Object body) {
        JsonNode tree = Json.MAPPER.valueToTree(body);
        for (int field : new int[] {MAX_FIELD, 256, 64}) {
            JsonNode bounded = bounded(tree, field);
            String text = write(bounded);
            while (bytes(text) > MAX_MESSAGE_BYTES && cutLongestList(bounded)) {
                text = write(bounded);
            }
            if (bytes(text) <= MAX_MESSAGE_BYTES) {
                return text;
            }
        }
        ObjectNode minimal = Json.MAPPER.createObjectNode();
        minimal.put("truncated", "the notice did not fit in an SNS message even cut down; see the function's log");
        return write(minimal);
    }

    private static JsonNode bounded(JsonNode node, int max) {
        if (node.isTextual()) {
            return TextNode.valueOf(UntrustedText.bound(node.asText(), max));
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(bounded(n, max)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(UntrustedText.bound(e.getKey(), Math.min(max, 256)), bounded(e.getValue(), max));
            }
            return out;
        }
        return node;
    }

    /** Halves the longest list of more than one element, ending it with how many were left out. */
    private static boolean cutLongestList(JsonNode root) {
        List<ArrayNode> lists = new ArrayList<>();
        collect(root, lists);
        ArrayNode longest = null;
        for (ArrayNode a : lists) {
            if (a.size() > 1 && (longest == null || a.size() > longest.size())) {
                longest = a;
            }
        }
        if (longest == null) {
            return false;
        }
        int keep = longest.size() / 2;
        int dropped = longest.size() - keep;
        while (longest.size() > keep) {
            longest.remove(longest.size() - 1);
        }
        longest.add(TextNode.valueOf("…(" + dropped + " more left out to fit an SNS message)"));
        return true;
    }

    private static void collect(JsonNode node, List<ArrayNode> lists) {
        if (node.isArray()) {
            lists.add((ArrayNode) node);
        }
        node.forEach(n -> collect(n, lists));
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written", e);
        }
    }

    private static ObjectWriter writer() {
        ObjectMapper mapper = Json.MAPPER.copy();
        mapper.getFactory().setCharacterEscapes(new MarkupEscapes());
        return mapper.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    }

    /** JSON's own escapes, plus {@code < > & '} as {@code \\u003c}... (the way HTML-safe JSON writes them). */
    private static final class MarkupEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        MarkupEscapes() {
            ascii = standardAsciiEscapesForJSON();
            for (char c : new char[] {'<', '>', '&', '\''}) {
                ascii[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
