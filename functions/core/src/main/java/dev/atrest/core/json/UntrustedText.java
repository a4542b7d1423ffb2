package dev.atrest.core.json;

/**
 * Text from an event (or any other untrusted input) put into a message, a reason or a log line: bounded, so a hostile
 * event cannot flood the logs, and with control, format and separator characters and lone surrogates escaped, so it
 * cannot forge log lines or hide text (bidi overrides).
 */
public final class UntrustedText {
    /** At most this many characters of the value are echoed. */
    public static final int MAX_ECHO = 120;

    private UntrustedText() {}

    /**
     * The value's first {@link #MAX_ECHO} characters (never half a surrogate pair), unsafe characters as
     * {@code \\uxxxx}, and, when cut, the original length: {@code …(200000 chars)}.
     */
    public static String abbreviate(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 16);
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            String piece = unsafe(cp) ? String.format("\\u%04x", cp) : Character.toString(cp);
            if (out.length() + piece.length() > MAX_ECHO) {
                break;
            }
            out.append(piece);
            i += Character.charCount(cp);
        }
        return i < value.length() ? out + "…(" + value.length() + " chars)" : out.toString();
    }

    /**
     * The value neutralised like {@link #abbreviate} and at most {@code max} characters long in all (a field with a
     * hard limit: a finding's title, a tag, an SNS message's field); when cut, it ends with {@code …(N chars)}, the
     * original length.
     */
    public static String bound(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max) + 16);
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            out.append(unsafe(cp) ? String.format("\\u%04x", cp) : Character.toString(cp));
            i += Character.charCount(cp);
            if (out.length() > max) {
                break;
            }
        }
        if (out.length() <= max && i >= value.length()) {
            return out.toString();
        }
        String suffix = "…(" + value.length() + " chars)";
        int keep = Math.max(0, max - suffix.length());
        // Never half a surrogate pair, never half an escape.
        String head = out.substring(0, Math.min(keep, out.length()));
        if (!head.isEmpty() && Character.isHighSurrogate(head.charAt(head.length() - 1))) {
            head = head.substring(0, head.length() - 1);
        }
        int escape = head.lastIndexOf("\\u");
        if (escape >= 0 && head.length() - escape < 6) {
            head = head.substring(0, escape);
        }
        return (head + suffix).length() <= max ? head + suffix : suffix.substring(0, Math.min(max, suffix.length()));
    }

    private static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
