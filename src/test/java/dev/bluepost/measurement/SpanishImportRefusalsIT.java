package dev.bluepost.measurement;

import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aPractice;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;

/**
 * A compliance officer and an administrator whose logins chose Spanish read the refusals of their imports and
 * reports in Spanish: an encounter file's line failures (stored as codes, worded when the job page is shown;
 * the JSON status keeps the English), the broadband import's line problems and errors on the field they are
 * about, a reversed reporting period, a malformed audit search.
 */
@QuarkusTest
class SpanishImportRefusalsIT {

    @Inject IdentityService identities;

    @Test
    void shouldSayImportAndReportRefusalsInSpanishToALoginThatChoseIt() {
        String practice = "Organization/" + Api.create(aPractice());
        String otherPractice = "Organization/" + Api.create(aPractice());
        String location = "Location/" + Api.create(aLocation(practice, true));
        String ep = "Practitioner/" + Api.create(anEp(practice));
        String patient = "Patient/" + Api.create(aPatient(practice));
        String otherLocation = "Location/" + Api.create(aLocation(otherPractice, true));
        String otherEp = "Practitioner/" + Api.create(anEp(otherPractice));
        String otherPatient = "Patient/" + Api.create(aPatient(otherPractice));
        String officer = login(Role.COMPLIANCE, practice);
        String admin = login(Role.ADMIN, practice);

        // an encounter file with bad lines: the job page words every stored failure in Spanish
        String run = UUID.randomUUID().toString();
        Instant day = Instant.parse("2014-02-10T15:00:00Z");
        Encounter noIdentifier = aVisit(patient, ep, location, practice, day);
        noIdentifier.getIdentifier().clear();
        Encounter elsewhere = aVisit(otherPatient, otherEp, otherLocation, otherPractice, day);
        elsewhere.getIdentifierFirstRep().setValue(run + "-other");
        Encounter good = aVisit(patient, ep, location, practice, day);
        good.getIdentifierFirstRep().setValue(run + "-1");
        String file =
                String.join(
                                "\n",
                                "{this is not json", // 1
                                "{\"resourceType\":\"Patient\"}", // 2
                                Fhir.json(noIdentifier), // 3
                                Fhir.json(elsewhere), // 4
                                Fhir.json(good))
                        + "\n"; // 5 loads
        WebSession compliance = WebSession.signIn(officer, PracticeFixture.PASSWORD);
        compliance
                .get("/compliance/encounter-imports")
                .then()
                .statusCode(200)
                .body(containsString("<html lang=\"es\">"));
        Response uploaded =
                compliance.submitMultipart(
                        "/compliance/encounter-imports",
                        Map.of(),
                        List.of(
                                new WebSession.Upload(
                                        "visitas.ndjson",
                                        "application/x-ndjson",
                                        file.getBytes(StandardCharsets.UTF_8))));
        uploaded.then().statusCode(303);
        String job = java.net.URI.create(uploaded.getHeader("Location")).getPath();
        JsonPath status =
                await().atMost(Duration.ofSeconds(60))
                        .until(
                                () ->
                                        compliance
                                                .get(job + "/status")
                                                .then()
                                                .statusCode(200)
                                                .extract()
                                                .jsonPath(),
                                s -> s.getBoolean("finished"));
        assertThat(status.getInt("loaded")).isEqualTo(1);
        assertThat(status.getInt("failed")).isEqualTo(4);
        // the API's words stay English
        assertThat(status.getString("errors.find { it.line == 1 }.reason"))
                .isEqualTo("The line is not JSON.");
        assertThat(status.getString("errors.find { it.line == 2 }.reason"))
                .isEqualTo("The line is a Patient, not an Encounter.");
        String jobId = job.substring(job.lastIndexOf('/') + 1);
        assertThat(
                        Sql.single(
                                "select string_agg(code, ',' order by line_number) from encounter_import_error where job_id = ?::uuid",
                                jobId))
                .isEqualTo("NOT_JSON,NOT_ENCOUNTER,NO_IDENTIFIER,OTHER_PRACTICE");
        // a failure stored before codes were (English only) is shown as stored, marked English for
        // a screen reader
        Sql.update(
                "insert into encounter_import_error (job_id, line_number, reason) values (?::uuid, 9, 'An older reason.')",
                jobId);
        String page = compliance.get(job).then().statusCode(200).extract().asString();
        assertThat(page)
                .contains("La línea no es JSON.")
                .contains("La línea es un Patient, no un Encounter.")
                .contains("Se requiere Encounter.identifier con un system y un value")
                .contains("no el consultorio de la persona que importa")
                .contains("lang=\"en\">An older reason.</td>")
                .doesNotContain("The line is not JSON")
                .doesNotContain("not the practice of the person importing");

        // the import form sent without a file: the friendly error page says so in Spanish
        compliance.get("/compliance/encounter-imports");
        compliance
                .submit("/compliance/encounter-imports", Map.of())
                .then()
                .statusCode(400)
                .body(
                        containsString(
                                "Elija un archivo NDJSON de Encounters de FHIR para importar."),
                        not(containsString("Choose an NDJSON")));

        // a reversed reporting period on the compliance dashboard
        compliance
                .getEncoded("/compliance?measure=sm-s2&periodStart=2014-03-31&periodEnd=2014-01-01")
                .then()
                .statusCode(400)
                .body(
                        containsString(
                                "El período de informe está invertido: periodEnd 2014-01-01 es anterior a periodStart 2014-03-31."));
        compliance
                .getEncoded(
                        "/compliance?measure=sm-s2&periodStart=2014-01-01&periodEnd=2014-03-31&poolAttribution=EVERYONE")
                .then()
                .statusCode(400)
                .body(containsString("El parámetro poolAttribution debe ser uno de estos valores"));

        // a malformed audit search
        compliance
                .getEncoded("/compliance/audit?from=yesterday&to=2026-11-23")
                .then()
                .statusCode(400)
                .body(
                        containsString("debe ser una fecha como 2026-11-23."),
                        not(containsString("must be a date")));

        // the broadband import: each bad line's problem and the errors on their fields, in Spanish
        WebSession administrator = WebSession.signIn(admin, PracticeFixture.PASSWORD);
        String county = "Llano" + UUID.randomUUID().toString().substring(0, 6);
        String csv =
                "state,county,fips,share_3mbps,share_4mbps\r\n"
                        + "KS,"
                        + county
                        + ",20001,0.30,0.20\r\n" // 2 loads
                        + "Kansas,Otro,20003,0.9,0.9\r\n" // 3 bad state
                        + "KS,Exceso,20005,1.5,0.9\r\n" // 4 share above 1
                        + "KS,Corto,20007\r\n" // 5 too few fields
                        + "KS,"
                        + county.toUpperCase()
                        + ",20001,0.1,0.1\r\n"; // 6 the same county again
        String imported =
                broadband(administrator, "2011-06-30", csv)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        assertThat(imported)
                .contains(
                        "<td class=\"num\">3</td><td>El estado debe ser un código de dos letras (p. ej., IL).</td>")
                .contains(
                        "<td class=\"num\">4</td><td>share_3mbps debe estar entre 0 y 1 (entre 0 % y 100 %).</td>")
                .contains("<td class=\"num\">5</td><td>Se esperaban 5 campos; hay 3.</td>")
                .containsPattern(
                        "<td class=\"num\">6</td><td>El condado .*, KS ya está en la línea 2\\.</td>")
                .doesNotContain("two-letter code");
        broadband(administrator, "2999-01-01", csv)
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "<span class=\"usa-error-message\" id=\"asOf-error\">La fecha de referencia está en el futuro.</span>"));
        broadband(administrator, "2011-07-01", "county,name\nfoo,bar\n")
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "id=\"files-error\">La primera línea debe ser el encabezado: state,county,share_3mbps,share_4mbps"));
        broadband(administrator, "2011-07-01", "state,county,share_3mbps,share_4mbps\nXX1,A,2,2\n")
                .then()
                .statusCode(422)
                .body(
                        containsString(
                                "No se pudo cargar ninguna línea del archivo; no se importó nada."));

        // the broadband exclusion's evidence on the provider's page, worded from the engine's facts
        org.hl7.fhir.r4.model.Location rural = aLocation(practice, true);
        rural.getAddress().setDistrict(county).setState("KS");
        String ruralLocation = "Location/" + Api.create(rural);
        // (a period whose first day only this test's data set, as of 2011-06-30, precedes)
        Api.create(
                aVisit(
                        patient,
                        ep,
                        ruralLocation,
                        practice,
                        Instant.parse("2011-08-10T15:00:00Z")));
        compliance
                .getEncoded(
                        "/compliance/ep/"
                                + ep.substring("Practitioner/".length())
                                + "?measure=pea-s2-m2&periodStart=2011-07-01&periodEnd=2011-09-28")
                .then()
                .statusCode(200)
                .body(
                        containsString(
                                "1 de 1 encuentros en condados donde menos del 50 % de las viviendas tienen banda ancha de"),
                        containsString("Datos de la FCC con fecha"),
                        containsString("Condados: " + county),
                        not(containsString("FCC data set as of")));

        // the audit settings sent without a choice
        administrator.get("/admin/audit");
        administrator
                .submit("/admin/audit", Map.of("recording", "maybe"))
                .then()
                .statusCode(400)
                .body(
                        containsString(
                                "Elija si se registra el acceso a la información de los pacientes (on u off)."));
    }

    private String login(Role role, String practice) {
        String username =
                role.name().toLowerCase().replace('_', '-')
                        + "-es-"
                        + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        username,
                        PracticeFixture.PASSWORD,
                        "Persona",
                        Set.of(role),
                        PracticeFixture.id(practice),
                        null,
                        null,
                        Set.of()));
        identities.chooseLanguage(identities.findByUsername(username).orElseThrow().id(), "es");
        return username;
    }

    private static Response broadband(WebSession session, String asOf, String csv) {
        session.get("/admin/broadband");
        return session.submitMultipart(
                "/admin/broadband",
                Map.of("asOf", asOf),
                List.of(
                        new WebSession.Upload(
                                "condados.csv", "text/csv", csv.getBytes(StandardCharsets.UTF_8))));
    }
}
