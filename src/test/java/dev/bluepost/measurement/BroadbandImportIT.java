package dev.bluepost.measurement;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MeasureReport;
import org.junit.jupiter.api.Test;

/**
 * The admin's county broadband import: bad lines reported by line number while the rest loads,
 * nothing written for a wholly invalid file, and the measure report naming the data set it used
 * (the latest one available on the first day of the period).
 */
@QuarkusTest
class BroadbandImportIT {

    @Inject IdentityService identities;

    @Test
    void shouldLoadTheGoodLinesReportTheBadOnesAndUseTheDataSetValidForThePeriod() {
        PracticeFixture f = PracticeFixture.create(identities);
        String admin = "bbadmin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        admin,
                        PracticeFixture.PASSWORD,
                        "Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(f.practice),
                        null,
                        null,
                        Set.of()));
        WebSession session = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        session.get("/admin/broadband").then().statusCode(200);
        String county = "Ruralia" + UUID.randomUUID().toString().substring(0, 6);

        String csv =
                "\uFEFFstate,county,fips,share_3mbps,share_4mbps\r\n"
                        + "KS,"
                        + county
                        + ",20001,0.30,0.20\r\n" // line 2: good, low broadband
                        + "Kansas,Elsewhere,20003,0.9,0.9\r\n" // line 3: bad state
                        + "KS,Greenfield,,95%,90%\r\n" // line 4: good (percentages, no FIPS)
                        + "KS,Overshoot,20005,1.5,0.9\r\n" // line 5: share above 1
                        + "\r\n" // line 6: blank, skipped
                        + "KS,Short,20007\r\n" // line 7: too few fields
                        + "KS,"
                        + county.toUpperCase()
                        + ",20001,0.1,0.1\r\n" // line 8: the same county again
                        + "KS,\"Quoted, County\",20009,0.5,0.4\r\n"; // line 9: good (quoted comma)
        Response imported = upload(session, "2012-06-30", csv);
        imported.then().statusCode(200);
        String page = imported.asString();
        assertThat(page).contains("3 counties loaded").contains("4 lines not loaded");
        assertThat(page)
                .containsPattern("<td class=\"num\">3</td><td>The state must be a two-letter code");
        assertThat(page)
                .containsPattern(
                        "<td class=\"num\">5</td><td>share_3mbps must lie between 0 and 1");
        assertThat(page).containsPattern("<td class=\"num\">7</td><td>Expected 5 fields, found 3");
        assertThat(page)
                .containsPattern("<td class=\"num\">8</td><td>The county .* is already on line 2");
        assertThat(
                        PatientElectronicAccessIT.string(
                                "select count(*)::text from mu_broadband_county where as_of = ?",
                                java.time.LocalDate.of(2012, 6, 30)))
                .isEqualTo("3");
        assertThat(
                        PatientElectronicAccessIT.string(
                                "select share_3mbps::text || '/' || share_4mbps::text || '/' || coalesce(fips, '-') "
                                        + "from mu_broadband_county where county = ?",
                                "Greenfield"))
                .isEqualTo("0.950000/0.900000/-");

        // a wholly invalid file loads nothing, and keeps the data set of that date as it was
        Response refused =
                upload(
                        session,
                        "2012-06-30",
                        "state,county,share_3mbps,share_4mbps\nXX1,A,2,2\nKS,,0.1,0.1\n");
        refused.then()
                .statusCode(422)
                .body(
                        containsString("nothing was imported"),
                        containsString("<td class=\"num\">2</td>"));
        assertThat(
                        PatientElectronicAccessIT.string(
                                "select count(*)::text from mu_broadband_county where as_of = ?",
                                java.time.LocalDate.of(2012, 6, 30)))
                .isEqualTo("3");
        upload(session, "2012-07-01", "county,name\nfoo,bar\n")
                .then()
                .statusCode(422)
                .body(containsString("header"));
        upload(session, "2012-07-01", "").then().statusCode(422);
        upload(session, "not-a-date", csv)
                .then()
                .statusCode(422)
                .body(containsString("YYYY-MM-DD"))
                .body(
                        containsString(
                                "<span class=\"usa-error-message\" id=\"asOf-error\">Give the as-of date as YYYY-MM-DD.</span>"));
        upload(session, "2012-07-01", new byte[] {'s', 't', (byte) 0xC3, (byte) 0x28, '\n'})
                .then()
                .statusCode(422)
                .body(containsString("UTF-8"));
        assertThat(
                        PatientElectronicAccessIT.string(
                                "select count(*)::text from mu_broadband_county where as_of = ?",
                                java.time.LocalDate.of(2012, 7, 1)))
                .isEqualTo("0");
        assertThat(
                        PatientElectronicAccessIT.string(
                                "select count(*)::text from mu_broadband_import where as_of = ?",
                                java.time.LocalDate.of(2012, 7, 1)))
                .isEqualTo("0");
        session.get("/admin/broadband")
                .then()
                .statusCode(200)
                .body(containsString("Jun 30, 2012"), not(containsString("Jul 1, 2012")));

        // the report uses the data set available on the period's first day and says which one
        Location rural = aLocation(f.practice, true);
        rural.getAddress().setDistrict(county).setState("KS");
        String location = "Location/" + Api.create(rural);
        String ep = "Practitioner/" + Api.create(anEp(f.practice));
        for (int i = 0; i < 2; i++) {
            Api.create(
                    aVisit(
                            "Patient/" + Api.create(aPatient(f.practice)),
                            ep,
                            location,
                            f.practice,
                            Instant.parse("2013-02-1" + i + "T15:00:00Z")));
        }
        String evidence = broadbandEvidence(ep);
        assertThat(evidence)
                .contains("FCC data set as of 2012-06-30")
                .contains(county)
                .contains("2 of 2");
        // a later data set (dated after the period's first day) is not used for that period
        upload(
                        session,
                        "2013-01-02",
                        "state,county,share_3mbps,share_4mbps\nKS," + county + ",0.9,0.9\n")
                .then()
                .statusCode(200);
        assertThat(broadbandEvidence(ep)).contains("FCC data set as of 2012-06-30");
        // patients may not import
        WebSession.signIn(f.patientLogin, PracticeFixture.PASSWORD)
                .get("/admin/broadband")
                .then()
                .statusCode(403);
    }

    private static String broadbandEvidence(String ep) {
        String body =
                fhir().get(
                                "/fhir/Measure/pea-s2-m2/$evaluate-measure?periodStart=2013-01-01&periodEnd=2013-03-31&practitioner="
                                        + ep)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        MeasureReport report = Fhir.parse(body, MeasureReport.class);
        List<Extension> exclusions =
                report.getGroupFirstRep()
                        .getExtensionsByUrl(
                                "https://fhir.bluepost.dev/StructureDefinition/exclusion-eligibility");
        Extension broadband =
                exclusions.stream()
                        .filter(
                                e ->
                                        "BROADBAND"
                                                .equals(
                                                        e.getExtensionByUrl("code")
                                                                .getValue()
                                                                .primitiveValue()))
                        .findFirst()
                        .orElseThrow();
        assertThat(broadband.getExtensionByUrl("eligible").getValue().primitiveValue()).isNotNull();
        return broadband.getExtensionByUrl("evidence").getValue().primitiveValue();
    }

    private static Response upload(WebSession session, String asOf, String csv) {
        return upload(session, asOf, csv.getBytes(StandardCharsets.UTF_8));
    }

    private static Response upload(WebSession session, String asOf, byte[] csv) {
        session.get("/admin/broadband");
        return session.submitMultipart(
                "/admin/broadband",
                Map.of("asOf", asOf),
                List.of(new WebSession.Upload("counties.csv", "text/csv", csv)));
    }
}
