package dev.bluepost.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The activation code's alphabet and how a typed code is read (ADR 0041). */
class ActivationCodeFormatTest {

    @Test
    void theAlphabetHasNoLookAlikes() {
        for (char c : "0O1IL UV".toCharArray()) {
            assertThat(ActivationService.ALPHABET.indexOf(c))
                    .as("'%s' in the alphabet", c)
                    .isEqualTo(-1);
        }
        assertThat(ActivationService.ALPHABET.chars().distinct().count())
                .isEqualTo(ActivationService.ALPHABET.length());
        assertThat(
                        ActivationService.LENGTH
                                * Math.log(ActivationService.ALPHABET.length())
                                / Math.log(2))
                .isGreaterThan(70);
    }

    @Test
    void aTypedCodeIgnoresCaseSpacesAndDashes() {
        String code = "ABCD2345EFGH6789";
        assertThat(ActivationService.grouped(code)).isEqualTo("ABCD-2345-EFGH-6789");
        for (String typed :
                new String[] {
                    "ABCD-2345-EFGH-6789",
                    "abcd 2345 efgh 6789",
                    " abcd2345-efgh 6789 ",
                    "AbCd–2345—EfGh‑6789"
                }) {
            assertThat(ActivationService.normalize(typed)).as(typed).isEqualTo(code);
        }
    }

    @Test
    void somethingThatCannotBeACodeIsNoCode() {
        for (String typed :
                new String[] {
                    null,
                    "",
                    "ABCD-2345-EFGH-678",
                    "ABCD-2345-EFGH-67890",
                    "ABCD-2345-EFGH-6780",
                    "OBCD-2345-EFGH-6789",
                    "ABCD-2345-EFGH-678%",
                    "A".repeat(65)
                }) {
            assertThat(ActivationService.normalize(typed)).as(String.valueOf(typed)).isNull();
        }
    }
}
