package dev.bluepost.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.Actor;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class SearchParametersTest {

    private static final String ID = "0b4f7f1e-8d0a-4c58-9d1a-3f0e1c2b3a4d";
    private static final Optional<String> OWN = Optional.of("http://localhost:8080/fhir/");

    /** A type declaring one parameter of each kind, and one token without :not. */
    private static final FhirResourceHandler<Patient> TYPE =
            new FhirResourceHandler<>() {
                @Override
                public String type() {
                    return "Thing";
                }

                @Override
                public Class<Patient> resourceClass() {
                    return Patient.class;
                }

                @Override
                public Patient read(UUID id, Actor actor) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Stored<Patient> create(Patient resource, UUID id, Actor actor) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public Stored<Patient> update(
                        UUID id, Patient resource, String expectedVersionId, Actor actor) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public SearchResult<Patient> search(SearchQuery query, Actor actor) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public List<SearchParameterInfo> searchParameters() {
                    return List.of(
                            SearchParameterInfo.token("status", "a token"),
                            SearchParameterInfo.string("name", "a string"),
                            SearchParameterInfo.reference("subject", "a reference"),
                            SearchParameterInfo.date("date", "a date"),
                            SearchParameterInfo.token("outcome", "a token without :not")
                                    .withModifiers());
                }
            };

    @Test
    void shouldLetThroughTheModifiersEachParameterImplements() {
        SearchQuery checked = check(Map.of("status:not", "a,b"));
        assertThat(checked.params())
                .singleElement()
                .isEqualTo(new SearchParam("status", "not", List.of("a", "b")));
        assertThat(check(Map.of("name:exact", "Ann")).params().get(0).modifier())
                .isEqualTo("exact");
        assertThat(check(Map.of("name:contains", "nn")).params().get(0).modifier())
                .isEqualTo("contains");
    }

    @Test
    void shouldRefuseModifiersAParameterDoesNotImplementNamingThem() {
        for (String key :
                List.of(
                        "status:missing",
                        "status:text",
                        "status:exact",
                        "name:not",
                        "name:missing",
                        "date:not",
                        "date:exact",
                        "subject:not",
                        "subject:identifier",
                        "subject:missing",
                        "outcome:not",
                        "status:",
                        "status:Patient")) {
            assertThatThrownBy(() -> check(Map.of(key, "x")))
                    .as(key)
                    .isInstanceOf(BluepostException.class)
                    .hasMessageContaining("'" + key.substring(0, key.indexOf(':')) + "'")
                    .hasMessageContaining(":" + key.substring(key.indexOf(':') + 1) + " ");
        }
        assertThatThrownBy(() -> check(Map.of("unknown", "x")))
                .hasMessageContaining("'unknown' is not supported for Thing");
    }

    @Test
    void shouldApplyATypeModifierToReferenceValuesAndRefuseAnotherType() {
        SearchParam subject =
                check(Map.of("subject:Patient", ID + ",Patient/" + ID)).params().get(0);
        assertThat(subject)
                .isEqualTo(
                        new SearchParam(
                                "subject", null, List.of("Patient/" + ID, "Patient/" + ID)));
        assertThatThrownBy(() -> check(Map.of("subject:Patient", "Practitioner/" + ID)))
                .hasMessageContaining(
                        "subject:Patient takes Patient ids, but a value names a Practitioner");
    }

    @Test
    void shouldReadThisServersAbsoluteReferencesAndRefuseOtherServers() {
        assertThat(check(Map.of("subject", OWN.get() + "Patient/" + ID)).params().get(0).values())
                .containsExactly("Patient/" + ID);
        assertThatThrownBy(() -> check(Map.of("subject", "https://ehr.example/fhir/Patient/" + ID)))
                .isInstanceOf(BluepostException.class)
                .hasMessageContaining("'subject'")
                .hasMessageContaining("another server");
        // token values with a URL system are not references
        assertThat(check(Map.of("status", "https://ehr.example/cs|x")).params().get(0).values())
                .containsExactly("https://ehr.example/cs|x");
    }

    private static SearchQuery check(Map<String, String> query) {
        Map<String, List<String>> parameters = new java.util.LinkedHashMap<>();
        query.forEach((k, v) -> parameters.put(k, List.of(v)));
        return SearchParameters.check(TYPE, SearchQuery.from(parameters), OWN);
    }
}
