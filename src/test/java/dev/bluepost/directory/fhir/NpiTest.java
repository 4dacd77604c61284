package dev.bluepost.directory.fhir;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NpiTest {

    @Test
    void shouldAcceptNpisWithValidCheckDigit() {
        assertThat(PractitionerHandler.Npi.isValid("1234567893")).isTrue();
        assertThat(PractitionerHandler.Npi.isValid("1679576722")).isTrue();
    }

    @Test
    void shouldRejectWrongCheckDigitLengthOrCharacters() {
        assertThat(PractitionerHandler.Npi.isValid("1234567890")).isFalse();
        assertThat(PractitionerHandler.Npi.isValid("123456789")).isFalse();
        assertThat(PractitionerHandler.Npi.isValid("12345678931")).isFalse();
        assertThat(PractitionerHandler.Npi.isValid("12345E7893")).isFalse();
        assertThat(PractitionerHandler.Npi.isValid(null)).isFalse();
    }
}
