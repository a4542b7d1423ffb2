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

    private static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.UNASSIGNED || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
