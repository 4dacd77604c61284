package dev.bluepost.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NpiTest {

    @Test
    void shouldAcceptNpisWithValidCheckDigit() {
        assertThat(Npi.isValid("1234567893")).isTrue();
        assertThat(Npi.isValid("1679576722")).isTrue();
    }

    @Test
    void shouldRejectWrongCheckDigitLengthOrCharacters() {
        assertThat(Npi.isValid("1234567890")).isFalse();
        assertThat(Npi.isValid("123456789")).isFalse();
        assertThat(Npi.isValid("12345678931")).isFalse();
        assertThat(Npi.isValid("12345E7893")).isFalse();
        assertThat(Npi.isValid(null)).isFalse();
    }
}
