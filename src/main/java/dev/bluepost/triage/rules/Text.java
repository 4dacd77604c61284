package dev.bluepost.triage.rules;

import java.text.Normalizer;
import java.util.Locale;

final class Text {

    private Text() {}

    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        if (ascii(text)) {
            return text.toLowerCase(
                    Locale.ROOT); // nothing to fold: most messages, without three passes over them
        }
        return folded(text);
    }

    /** Compatibility decomposition, combining marks dropped, lower case, typographic apostrophes plain. */
    static String folded(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replace('’', '\'');
    }

    private static boolean ascii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
