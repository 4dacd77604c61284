package dev.bluepost.fhir;

import static dev.bluepost.testing.Builders.aVisit;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.bluepost.testing.Fhir;
import java.time.Instant;
import java.util.UUID;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StoredJson}: the JSON a client sent is reused as the stored JSON only when it is what
 * encoding the parsed resource would store (compared as JSON values, as {@code jsonb} does), and
 * left to HAPI whenever HAPI would drop or rewrite something.
 */
class StoredJsonTest {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private static final String P = "Patient/" + UUID.randomUUID();
    private static final String EP = "Practitioner/" + UUID.randomUUID();
    private static final String L = "Location/" + UUID.randomUUID();
    private static final String O = "Organization/" + UUID.randomUUID();

    /** What {@link StoredResourceHandler} stores when it encodes: the strictly parsed resource without id, versionId and lastUpdated. */
    private static String encoded(String text) {
        Encounter parsed =
                Fhir.CONTEXT
                        .newJsonParser()
                        .setParserErrorHandler(new ca.uhn.fhir.parser.StrictErrorHandler())
                        .parseResource(Encounter.class, text);
        Encounter stored = parsed.copy();
        stored.setIdElement(null);
        stored.getMeta().setVersionId(null);
        stored.getMeta().setLastUpdated(null);
        return Fhir.CONTEXT.newJsonParser().encodeResourceToString(stored);
    }

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static void assertReusedAndEquivalent(String text) throws Exception {
        StoredJson.Source source = StoredJson.read(text).orElseThrow();
        JsonNode before = source.tree().deepCopy();
        // HAPI reading the tree parses what it parses from the text, and leaves the tree as it was
        Encounter fromTree = new FhirJson(Fhir.CONTEXT).parse(source, Encounter.class);
        assertThat(Fhir.json(fromTree))
                .isEqualTo(Fhir.json(new FhirJson(Fhir.CONTEXT).parse(text, Encounter.class)));
        assertThat(source.tree()).isEqualTo(before);
        String stored = StoredJson.storable(source).orElse(null);
        assertThat(stored).as("reused: %s", text).isNotNull();
        assertThat(tree(stored)).isEqualTo(tree(encoded(text)));
    }

    private static void assertEncoded(String text) {
        assertThat(StoredJson.storable(StoredJson.read(text).orElseThrow()))
                .as("left to HAPI: %s", text)
                .isEmpty();
    }

    @Test
    void shouldReuseAnEhrVisitAsSent() throws Exception {
        String text = Fhir.json(aVisit(P, EP, L, O, Instant.parse("2025-01-02T15:00:00Z")));
        assertThat(StoredJson.storable(StoredJson.read(text).orElseThrow())).contains(text);
        assertReusedAndEquivalent(text);
    }

    @Test
    void shouldReuseARicherVisitWrittenByHandAsEncodingWouldStoreIt() throws Exception {
        String text =
                """
                {  "status": "finished", "resourceType": "Encounter", "language": "en-US",
                   "meta": {"source": "ehr#1", "tag": [{"system": "urn:t", "code": "x"}], "profile": ["http://example.org/p"]},
                   "extension": [{"url": "http://example.org/a", "valueReference": {"reference": "%s", "display": "Dr A"}},
                                 {"url": "http://example.org/b", "valueInteger": 3}, {"url": "http://example.org/c", "valueBoolean": true},
                                 {"url": "http://example.org/d", "valueDateTime": "2025-01-02T10:00:00.123-05:00"}],
                   "identifier": [{"id": "i1", "use": "official", "system": "urn:ehr", "value": "v-1",
                                   "period": {"start": "2024"}, "type": {"coding": [{"system": "urn:x", "code": "VN"}], "text": "Visit"}},
                                  {"value": "second"}],
                   "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "VR", "display": "virtual"},
                   "type": [{"coding": [{"system": "http://snomed.info/sct", "code": "185349003", "userSelected": false}]}],
                   "priority": {"text": "routine"},
                   "subject": {"reference": "%s", "type": "Patient"},
                   "participant": [{"type": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                     "code": "SPRF"}]}], "period": {"start": "2025-01"}, "individual": {"reference": "%s"}},
                                   {"individual": {"reference": "RelatedPerson/123", "display": "Mum"}}],
                   "period": {"start": "2025-01-02T10:00:00+01:00", "end": "2025-01-02T10:30:00.5+01:00"},
                   "reasonCode": [{"text": "Follow-up \\"quoted\\" \\u00e9"}],
                   "hospitalization": {"dischargeDisposition": {"text": "home"}},
                   "location": [{"location": {"reference": "%s"}, "status": "completed"}],
                   "serviceProvider": {"reference": "%s"}
                }"""
                        .formatted(EP, P, EP, L, O);
        assertReusedAndEquivalent(text);
    }

    @Test
    void shouldStoreTheTreeWithoutServerOwnedElementsWhenTheLineCarriesThem() throws Exception {
        Encounter visit = aVisit(P, EP, L, O, Instant.parse("2025-01-02T15:00:00Z"));
        visit.setId("ehr-123");
        visit.getMeta()
                .setVersionId("7")
                .setLastUpdated(java.util.Date.from(Instant.parse("2025-01-03T00:00:00Z")));
        String text = Fhir.json(visit);
        assertReusedAndEquivalent(text);
        String stored = StoredJson.storable(StoredJson.read(text).orElseThrow()).orElseThrow();
        assertThat(tree(stored).has("id")).isFalse();
        assertThat(tree(stored).has("meta")).isFalse();

        visit.getMeta().setSource("ehr");
        assertReusedAndEquivalent(Fhir.json(visit));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // references HAPI or Bluepost would rewrite
                "\"subject\": {\"reference\": \"https://bluepost.example/fhir/Patient/%s\"}",
                "\"subject\": {\"reference\": \"Patient/%s/_history/2\"}",
                "\"subject\": {\"reference\": \"Patient/%S\"}",
                "\"subject\": {\"reference\": \" Patient/%s\"}",
                "\"subject\": {\"reference\": \"urn:uuid:%s\"}",
                "\"subject\": {\"reference\": \"#p1\"}, \"contained\": [{\"resourceType\": \"Patient\", \"id\": \"p1\"}], \"x\": \"%s\"",
                // content HAPI drops or re-serializes
                "\"text\": {\"status\": \"generated\", \"div\": \"<div xmlns='http://www.w3.org/1999/xhtml'>%s</div>\"}",
                "\"reasonCode\": [], \"x\": \"%s\"",
                "\"priority\": {}, \"x\": \"%s\"",
                "\"_status\": {\"extension\": [{\"url\": \"urn:e\", \"valueString\": \"%s\"}]}",
                "\"length\": {\"value\": 20.50, \"unit\": \"%s\"}",
                "\"reasonCode\": [{\"text\": \" %s\"}]",
                "\"reasonCode\": [{\"text\": null}], \"x\": \"%s\"",
                "\"status\": \"cancelled\", \"x\": \"%s\""
            })
    void shouldLeaveToHapiWhatItWouldRewrite(String member) {
        String text =
                "{\"resourceType\": \"Encounter\", \"status\": \"finished\", "
                        + member.formatted(UUID.randomUUID())
                        + "}";
        assertEncoded(text);
    }

    @Test
    void shouldNotReuseTextWhoseParseDependsOnWhichDuplicateWins() {
        assertThat(
                        StoredJson.read(
                                "{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"status\": \"cancelled\"}"))
                .hasValueSatisfying(source -> assertThat(source.exact()).isFalse());
        assertEncoded(
                "{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"status\": \"cancelled\"}");
    }

    @Test
    void shouldParseFromTheTreeWithTheSameRefusalsAsFromTheText() {
        String unknownElement =
                "{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"colour\": \"red\"}";
        FhirJson json = new FhirJson(Fhir.CONTEXT);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                json.parse(
                                        StoredJson.read(unknownElement).orElseThrow(),
                                        Encounter.class))
                .isInstanceOf(dev.bluepost.platform.errors.BluepostException.class)
                .hasMessageContaining("colour");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () ->
                                json.parse(
                                        StoredJson.read(
                                                        "{\"resourceType\": \"Encounter\", \"status\": \"finished\", \"status\": \"no-such-status\"}")
                                                .orElseThrow(),
                                        Encounter.class))
                .isInstanceOf(dev.bluepost.platform.errors.BluepostException.class);
        assertThat(
                        json.parse(
                                        StoredJson.read(
                                                        "{\"resourceType\": \"Encounter\", \"length\": {\"value\": +20}}")
                                                .orElseThrow(),
                                        Encounter.class)
                                .getLength()
                                .getValue())
                .isEqualByComparingTo("20");
    }

    @Test
    void shouldRefuseWhatIsNotJson() {
        assertThat(StoredJson.read("{this is not json")).isEmpty();
        assertThat(StoredJson.read("{\"resourceType\": \"Encounter\"} trailing")).isEmpty();
    }
}
