package dev.bluepost.triage.rules;

import java.text.Normalizer;
import java.util.Locale;

final class Text {

    private Text() {
    }

    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        return Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replace('’', '\'');
    }
}
