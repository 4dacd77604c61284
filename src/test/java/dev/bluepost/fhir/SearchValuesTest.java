package dev.bluepost.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.errors.BluepostException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchValuesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void shouldReadDateWithoutZoneAsADayInTheGivenZone() {
        SearchValues.DateRange range = SearchValues.date("ge2026-03-08", NEW_YORK);
        assertThat(range.prefix()).isEqualTo("ge");
        assertThat(range.start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        // the day daylight saving time starts is 23 hours long
        assertThat(range.end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
    }

    @Test
    void shouldReadMonthsYearsAndInstants() {
        assertThat(SearchValues.date("2026-02", NEW_YORK).end())
                .isEqualTo(Instant.parse("2026-03-01T05:00:00Z"));
        assertThat(SearchValues.date("lt2026", NEW_YORK).start())
                .isEqualTo(Instant.parse("2026-01-01T05:00:00Z"));
        SearchValues.DateRange instant = SearchValues.date("gt2026-01-31T12:00:00Z", NEW_YORK);
        assertThat(instant.start()).isEqualTo(Instant.parse("2026-01-31T12:00:00Z"));
        assertThat(instant.end()).isEqualTo(Instant.parse("2026-01-31T12:00:01Z"));
        assertThat(SearchValues.date("2026-01-31T12:00:00+01:00", NEW_YORK).start())
                .isEqualTo(Instant.parse("2026-01-31T11:00:00Z"));
    }

    @Test
    void shouldRejectMalformedDates() {
        assertThatThrownBy(() -> SearchValues.date("yesterday", NEW_YORK))
                .isInstanceOf(BluepostException.class);
        assertThatThrownBy(() -> SearchValues.date("2026-02-30", NEW_YORK))
                .isInstanceOf(BluepostException.class);
    }

    @Test
    void shouldParseTokens() {
        assertThat(SearchValues.token("http://hl7.org/fhir/sid/us-npi|1234567893"))
                .isEqualTo(
                        new SearchValues.Token(
                                "http://hl7.org/fhir/sid/us-npi", "1234567893", false));
        assertThat(SearchValues.token("1234567893"))
                .isEqualTo(new SearchValues.Token(null, "1234567893", true));
        assertThat(SearchValues.token("|abc"))
                .isEqualTo(new SearchValues.Token(null, "abc", false));
    }

    @Test
    void shouldParseReferencesAndMatchNothingForForeignIds() {
        String id = "0b4f7f1e-8d0a-4c58-9d1a-3f0e1c2b3a4d";
        assertThat(SearchValues.reference("Patient/" + id, "Patient").value())
                .isEqualTo("Patient/" + id);
        assertThat(SearchValues.reference(id, "Patient").value()).isEqualTo("Patient/" + id);
        assertThat(
                        SearchValues.reference("Patient/" + id + "/_history/2", "Patient")
                                .id()
                                .toString())
                .isEqualTo(id);
        // absolute URLs are made relative (this server's) or refused (another server's) before
        // values are parsed
        assertThat(
                        SearchValues.reference(
                                        "https://elsewhere.example/fhir/Patient/" + id, "Patient")
                                .id())
                .isEqualTo(SearchValues.NO_MATCH);
        assertThat(SearchValues.reference("Patient/123", "Patient").id())
                .isEqualTo(SearchValues.NO_MATCH);
    }

    @Test
    void shouldSplitEscapedCommasAndReadPaging() {
        SearchQuery query =
                SearchQuery.from(
                        Map.of(
                                "name",
                                List.of("a\\,b,c"),
                                "_count",
                                List.of("5"),
                                "_offset",
                                List.of("10")));
        assertThat(query.params())
                .singleElement()
                .satisfies(p -> assertThat(p.values()).containsExactly("a,b", "c"));
        assertThat(query.count()).isEqualTo(5);
        assertThat(query.offset()).isEqualTo(10);
        assertThatThrownBy(() -> SearchQuery.from(Map.of("_count", List.of("-1"))))
                .isInstanceOf(BluepostException.class);
        assertThat(SearchQuery.from(Map.of("_count", List.of("100000"))).count())
                .isEqualTo(SearchQuery.MAX_COUNT);
    }
}
