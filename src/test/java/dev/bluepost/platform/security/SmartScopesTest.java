package dev.bluepost.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bluepost.platform.security.SmartScopes.Permission;
import org.junit.jupiter.api.Test;

class SmartScopesTest {

    private static final SmartScopes OFFER =
            SmartScopes.parse("patient/Communication.crs patient/Patient.rs");

    @Test
    void shouldReadV2AndV1ScopesAndIgnoreEverythingElse() {
        SmartScopes scopes =
                SmartScopes.parse(
                        "openid fhirUser launch/patient patient/Communication.rs "
                                + "patient/Patient.read user/*.* system/*.* patient/Observation.rs?category=vital-signs patient/Task.sr");
        assertThat(scopes.allows("Communication", Permission.READ)).isTrue();
        assertThat(scopes.allows("Communication", Permission.SEARCH)).isTrue();
        assertThat(scopes.allows("Communication", Permission.CREATE)).isFalse();
        assertThat(scopes.allows("Patient", Permission.SEARCH)).isTrue();
        assertThat(scopes.allows("Observation", Permission.READ)).isFalse();
        assertThat(scopes.allows("Task", Permission.READ))
                .as("v2 letters out of order are not a scope")
                .isFalse();
        assertThat(scopes).hasToString("patient/Communication.rs patient/Patient.rs");
    }

    @Test
    void shouldGrantOnlyWhatIsBothAskedForAndOffered() {
        assertThat(SmartScopes.parse("patient/*.*").within(OFFER))
                .hasToString("patient/Communication.crs patient/Patient.rs");
        assertThat(SmartScopes.parse("patient/*.read").within(OFFER))
                .hasToString("patient/Communication.rs patient/Patient.rs");
        assertThat(SmartScopes.parse("patient/Communication.write").within(OFFER))
                .hasToString("patient/Communication.c");
        assertThat(
                        SmartScopes.parse("patient/Communication.cruds patient/Observation.rs")
                                .within(OFFER))
                .hasToString("patient/Communication.crs");
        assertThat(SmartScopes.parse("user/*.* openid").within(OFFER).isEmpty()).isTrue();
        assertThat(SmartScopes.parse(null)).isEqualTo(SmartScopes.NONE);
    }
}
