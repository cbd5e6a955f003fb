package dev.crm.surveys.domain;

import java.util.regex.Pattern;

/** Checks on identifiers and free text shared by the survey definition and its answers. */
final class Text {
    /**
     * Question ids and option values: they become JSON member names in answers and results and parts
     * of counter names, so they are kept to a small, unambiguous alphabet (no ':' or '#').
     */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-zA-Z0-9_]{0,39}");
    static final String IDENTIFIER_RULE =
            "must start with a lower-case letter and hold only letters, digits and _ (at most 40 characters)";

    private Text() {}

    static boolean isIdentifier(String s) {
        return s != null && IDENTIFIER.matcher(s).matches();
    }

    static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Line breaks and tabs belong in free text; other control characters and lone surrogates do not. */
    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || (c >= 0x7f && c <= 0x9f)) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
