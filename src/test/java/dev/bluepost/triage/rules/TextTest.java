package dev.bluepost.triage.rules;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;

class TextTest {

    /** The ASCII shortcut gives what the full folding gives. */
    @Property
    void asciiTextIsFoldedLikeAnyOther(@ForAll @CharRange(from = 0, to = 127) String text) {
        assertThat(Text.normalize(text)).isEqualTo(Text.folded(text));
    }

    @Property
    void anyTextIsFoldedInFull(
            @ForAll @Chars({'é', 'Ü', '’', 'ﬁ', 'A', 'z', ' ', 'Ω'}) String text) {
        assertThat(Text.normalize(text)).isEqualTo(Text.folded(text));
    }

    @Property(tries = 1)
    void accentsAndApostrophesAreFolded() {
        assertThat(Text.normalize("Réfill DON’T")).isEqualTo("refill don't");
    }
}
