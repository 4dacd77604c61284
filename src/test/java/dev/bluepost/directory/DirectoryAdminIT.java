package dev.bluepost.directory;

import static dev.bluepost.testing.Api.fhir;
import static dev.bluepost.testing.Builders.aLocation;
import static dev.bluepost.testing.Builders.aPatient;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.Builders.anEp;
import static dev.bluepost.testing.Builders.validNpi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditRows;
import dev.bluepost.testing.Fhir;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import dev.bluepost.triage.PracticeSetups;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory's admin pages over the real stack (ADR 0042): every change a page makes is the FHIR
 * resource's change (a new version, read back through FHIR) and the other way round, with one audit
 * entry; bad input is said on its field and writes nothing; pool changes reach triage's cached setup;
 * the CEHRT history decides what the measure counts; only the practice's admin reaches the pages.
 */
@QuarkusTest
class DirectoryAdminIT {

    @Inject IdentityService identities;

    @Inject PracticeSetups setups;

    private PracticeFixture home;
    private WebSession admin;

    @BeforeEach
    void practice() {
        home = PracticeFixture.create(identities);
        String login = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Practice Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(home.practice),
                        null,
                        null,
                        Set.of()));
        admin = WebSession.signIn(login, PracticeFixture.PASSWORD);
    }

    @Test
    void shouldAddEditAndDeactivateAPractitionerAsTheFhirResourceWithOneAuditEntryEach() {
        String npi = validNpi();
        admin.get("/admin/practitioners/new").then().statusCode(200);
        admin.submit("/admin/practitioners", Map.of("name", "Ana Ortiz", "npi", npi))
                .then()
                .statusCode(303)
                .header("Location", containsString("/admin/practitioners"));
        String id = Sql.single("select id from practitioner where npi = ?", npi);
        Practitioner created = Api.read(Practitioner.class, "Practitioner/" + id);
        assertThat(created.getNameFirstRep().getText()).isEqualTo("Ana Ortiz");
        assertThat(created.getMeta().getVersionId()).isEqualTo("1");
        assertThat(
                        created.getExtensionByUrl(
                                "https://fhir.bluepost.dev/StructureDefinition/practice"))
                .isNotNull();
        admin.get("/admin/practitioners")
                .then()
                .statusCode(200)
                .body(containsString("Ana Ortiz"), containsString("Saved."));

        admin.get("/admin/practitioners/" + id).then().statusCode(200);
        admin.submit("/admin/practitioners/" + id, Map.of("name", "Ana Ortiz-Vega", "npi", npi))
                .then()
                .statusCode(303);
        Practitioner edited = Api.read(Practitioner.class, "Practitioner/" + id);
        assertThat(edited.getNameFirstRep().getText()).isEqualTo("Ana Ortiz-Vega");
        assertThat(edited.getMeta().getVersionId()).isEqualTo("2");

        admin.get("/admin/practitioners");
        admin.submit("/admin/practitioners/" + id + "/deactivate", Map.of()).then().statusCode(303);
        Practitioner deactivated = Api.read(Practitioner.class, "Practitioner/" + id);
        assertThat(deactivated.getActive()).isFalse();
        assertThat(deactivated.getMeta().getVersionId()).isEqualTo("3");
        admin.get("/admin/practitioners");
        admin.submit("/admin/practitioners/" + id + "/reactivate", Map.of()).then().statusCode(303);
        assertThat(Api.read(Practitioner.class, "Practitioner/" + id).getActive()).isTrue();

        assertThat(changes("Practitioner", id))
                .containsExactly(
                        "CREATE success null Practitioner/" + id,
                                "UPDATE success null Practitioner/" + id,
                        "UPDATE success deactivated Practitioner/" + id,
                                "UPDATE success reactivated Practitioner/" + id);

        // and the other way round: a FHIR update shows on the page, audited once (by the FHIR
        // interaction)
        Practitioner viaFhir = Api.read(Practitioner.class, "Practitioner/" + id);
        viaFhir.getNameFirstRep().setText("Ana Vega");
        fhir().body(Fhir.json(viaFhir)).put("/fhir/Practitioner/" + id).then().statusCode(200);
        admin.get("/admin/practitioners").then().body(containsString("Ana Vega"));
        assertThat(changes("Practitioner", id)).hasSize(5);
    }

    @Test
    void shouldSayWhatIsWrongOnItsFieldAndWriteNothing() {
        long practitioners = Sql.count("select count(*) from practitioner");
        long audited =
                AuditRows.query("resource_type = 'Practitioner' and action in ('CREATE', 'UPDATE')")
                        .size();
        admin.get("/admin/practitioners/new");
        admin.submit("/admin/practitioners", Map.of("name", "Bad Number", "npi", "1234567890"))
                .then()
                .statusCode(422)
                .body(
                        containsString("usa-form-group--error"),
                        containsString("id=\"npi-error\""),
                        containsString("An NPI is 10 digits with a valid check digit"),
                        containsString("value=\"Bad Number\""));
        String takenNpi = Api.read(Practitioner.class, home.ep).getIdentifierFirstRep().getValue();
        admin.submit("/admin/practitioners", Map.of("name", "Same Number", "npi", takenNpi))
                .then()
                .statusCode(409)
                .body(
                        containsString("id=\"npi-error\""),
                        containsString("Another practitioner already has this NPI."));
        admin.submit("/admin/practitioners", Map.of("name", " ", "npi", ""))
                .then()
                .statusCode(422)
                .body(containsString("id=\"name-error\""), containsString("Enter a name."));
        assertThat(Sql.count("select count(*) from practitioner")).isEqualTo(practitioners);

        Organization before = Api.read(Organization.class, home.practice);
        admin.get("/admin/practice")
                .then()
                .statusCode(200)
                .body(containsString("Eastern Time"), not(containsString(">America/New_York<")));
        admin.submit(
                        "/admin/practice",
                        Map.of("name", "Renamed", "zone", "Mars/Olympus", "replyWindow", "30"))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"zone-error\""),
                        containsString("Choose a time zone from the list."));
        admin.submit(
                        "/admin/practice",
                        Map.of("name", "Renamed", "zone", "America/Chicago", "replyWindow", "0"))
                .then()
                .statusCode(422)
                .body(
                        containsString("id=\"replyWindow-error\""),
                        containsString("Enter a number of days from 1 to 3650."));
        admin.submit(
                        "/admin/practice",
                        Map.of("name", "Renamed", "zone", "America/Chicago", "replyWindow", "many"))
                .then()
                .statusCode(422)
                .body(containsString("id=\"replyWindow-error\""));
        // in the reader's language
        admin.submit("/language", Map.of("language", "es", "back", "/admin/practice"))
                .then()
                .statusCode(303);
        admin.get("/admin/practice");
        admin.submit(
                        "/admin/practice",
                        Map.of("name", "", "zone", "America/Chicago", "replyWindow", ""))
                .then()
                .statusCode(422)
                .body(containsString("Escriba un nombre."));
        Organization after = Api.read(Organization.class, home.practice);
        assertThat(after.getMeta().getVersionId()).isEqualTo(before.getMeta().getVersionId());
        assertThat(after.getName()).isEqualTo(before.getName());
        assertThat(
                        AuditRows.query(
                                "resource_type = 'Practitioner' and action in ('CREATE', 'UPDATE')"))
                .hasSize((int) audited);
        assertThat(
                        AuditRows.query(
                                "resource_type = 'Organization' and resource_id = ? and action = 'UPDATE'",
                                PracticeFixture.id(home.practice).toString()))
                .isEmpty();
    }

    @Test
    void shouldChangeThePracticeSettingsAsTheOrganization() {
        admin.get("/admin/practice");
        admin.submit(
                        "/admin/practice",
                        Map.of(
                                "name",
                                "Lakeside Family Care",
                                "zone",
                                "America/Chicago",
                                "replyWindow",
                                "45"))
                .then()
                .statusCode(303);
        Organization practice = Api.read(Organization.class, home.practice);
        assertThat(practice.getName()).isEqualTo("Lakeside Family Care");
        assertThat(
                        practice.getExtensionByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/time-zone")
                                .getValue()
                                .primitiveValue())
                .isEqualTo("America/Chicago");
        assertThat(
                        practice.getExtensionByUrl(
                                        "https://fhir.bluepost.dev/StructureDefinition/reply-window-days")
                                .getValue()
                                .primitiveValue())
                .isEqualTo("45");
        admin.get("/admin/practice")
                .then()
                .body(
                        containsString("Saved."),
                        containsString("Central Time"),
                        containsString("href=\"/admin/triage#hours\""));
        assertThat(changes("Organization", PracticeFixture.id(home.practice).toString()))
                .containsExactly(
                        "CREATE success null Organization/" + PracticeFixture.id(home.practice),
                        "UPDATE success null Organization/" + PracticeFixture.id(home.practice));
    }

    @Test
    void shouldRenameAPoolAndAddAMemberSoThatTriageSeesItAndRetireIt() {
        UUID practice = PracticeFixture.id(home.practice);
        UUID pool = PracticeFixture.id(home.pool);
        UUID ep = PracticeFixture.id(home.ep);
        assertThat(QuarkusTransaction.requiringNew().call(() -> setups.of(practice).poolName(pool)))
                .isEqualTo("Front desk");

        admin.get("/admin/pools/" + pool).then().statusCode(200);
        admin.submitRepeated(
                        "/admin/pools/" + pool,
                        Map.of(
                                "name",
                                List.of("Reception"),
                                "members",
                                List.of(PracticeFixture.id(home.staff).toString(), ep.toString())))
                .then()
                .statusCode(303);

        // the database trigger bumped the practice's configuration version: triage's cached setup
        // is reloaded
        var setup = QuarkusTransaction.requiringNew().call(() -> setups.of(practice));
        assertThat(setup.poolName(pool)).isEqualTo("Reception");
        assertThat(setup.pool(pool).orElseThrow().memberIds()).contains(ep);
        CareTeam team = Api.read(CareTeam.class, home.pool);
        assertThat(team.getName()).isEqualTo("Reception");
        assertThat(team.getMeta().getVersionId()).isEqualTo("2");
        assertThat(
                        team.getParticipant().stream()
                                .map(p -> p.getMember().getReference())
                                .collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(home.staff, home.ep);

        // a member of another practice is refused on its field
        String stranger =
                "Practitioner/"
                        + Api.create(
                                anEp(
                                        "Organization/"
                                                + Api.create(
                                                        dev.bluepost.testing.Builders
                                                                .aPractice())));
        admin.get("/admin/pools/" + pool);
        admin.submitRepeated(
                        "/admin/pools/" + pool,
                        Map.of(
                                "name",
                                List.of("Reception"),
                                "members",
                                List.of(PracticeFixture.id(stranger).toString())))
                .then()
                .statusCode(422)
                .body(containsString("id=\"members-error\""));

        admin.get("/admin/pools");
        admin.submit("/admin/pools/" + pool + "/retire", Map.of()).then().statusCode(303);
        assertThat(Api.read(CareTeam.class, home.pool).getStatus())
                .isEqualTo(CareTeam.CareTeamStatus.INACTIVE);
        assertThat(QuarkusTransaction.requiringNew().call(() -> setups.of(practice).pool(pool)))
                .isEmpty();

        admin.get("/admin/pools/new");
        admin.submit("/admin/pools", Map.of("name", "Billing")).then().statusCode(303);
        assertThat(
                        QuarkusTransaction.requiringNew()
                                .call(() -> setups.of(practice).poolNamed("Billing")))
                .isPresent();
        assertThat(changes("CareTeam", pool.toString()))
                .containsExactly(
                        "CREATE success null CareTeam/" + pool,
                        "UPDATE success null CareTeam/" + pool,
                        "UPDATE success retired CareTeam/" + pool);
    }

    @Test
    void shouldCountAnEncounterAtALocationByItsCehrtHistory() {
        // a location without CEHRT from the start; a visit in the first quarter of 2014, one in the
        // second
        String location = "Location/" + Api.create(aLocation(home.practice, false));
        String first = "Patient/" + Api.create(aPatient(home.practice));
        String second = "Patient/" + Api.create(aPatient(home.practice));
        Api.create(
                aVisit(
                        first,
                        home.ep,
                        location,
                        home.practice,
                        Instant.parse("2014-02-10T15:00:00Z")));
        Api.create(
                aVisit(
                        second,
                        home.ep,
                        location,
                        home.practice,
                        Instant.parse("2014-05-12T15:00:00Z")));
        assertThat(denominator("2014-04-01", "2014-06-30")).isZero();

        // the admin records that the location has had CEHRT since April 1, 2014
        UUID id = PracticeFixture.id(location);
        admin.get("/admin/locations/" + id)
                .then()
                .statusCode(200)
                .body(containsString("From the beginning"));
        admin.submit(
                        "/admin/locations/" + id,
                        Map.of(
                                "name",
                                "Clinic North",
                                "county",
                                "Franklin",
                                "state",
                                "OH",
                                "cehrt",
                                "yes",
                                "cehrtFrom",
                                "2014-04-01"))
                .then()
                .statusCode(303);
        assertThat(
                        Sql.count(
                                "select count(*) from location_cehrt_change where location_id = ?",
                                id))
                .isEqualTo(2);

        // before the change: not equipped; a period starting on it: equipped; a period it falls
        // inside: not
        // equipped from the period's start, so not counted (docs/measures.md §2.3)
        assertThat(denominator("2014-01-01", "2014-03-31")).isZero();
        assertThat(denominator("2014-04-01", "2014-06-30")).isEqualTo(1);
        assertThat(denominator("2014-03-01", "2014-05-29")).isZero();

        Location read = Api.read(Location.class, location);
        assertThat(
                        ((BooleanType)
                                        read.getExtensionByUrl(
                                                        "https://fhir.bluepost.dev/StructureDefinition/cehrt-equipped")
                                                .getValue())
                                .booleanValue())
                .isTrue();
        assertThat(read.getName()).isEqualTo("Clinic North");
        assertThat(read.getMeta().getVersionId()).isEqualTo("2");
        admin.get("/admin/locations/" + id).then().body(containsString("Apr 1, 2014"));

        // a FHIR update that turns the flag off records a change from today: the periods above keep
        // their counts
        read.getExtension().removeIf(e -> e.getUrl().endsWith("/cehrt-equipped"));
        read.addExtension(
                "https://fhir.bluepost.dev/StructureDefinition/cehrt-equipped",
                new BooleanType(false));
        fhir().body(Fhir.json(read)).put("/fhir/Location/" + id).then().statusCode(200);
        assertThat(
                        Sql.count(
                                "select count(*) from location_cehrt_change where location_id = ? and not equipped and effective_from > '2020-01-01'",
                                id))
                .isEqualTo(1);
        assertThat(denominator("2014-04-01", "2014-06-30")).isEqualTo(1);
        assertThat(changes("Location", id.toString())).hasSize(3);
    }

    @Test
    void shouldRefuseEveryoneButThePracticesAdmin() {
        WebSession desk = WebSession.signIn(home.frontDeskLogin, PracticeFixture.PASSWORD);
        for (String page :
                List.of(
                        "/admin/practitioners",
                        "/admin/practitioners/new",
                        "/admin/locations",
                        "/admin/pools",
                        "/admin/practice")) {
            desk.get(page).then().statusCode(403);
        }
        desk.get("/staff/queue");
        desk.submit(
                        "/admin/practice",
                        Map.of("name", "Taken over", "zone", "America/Chicago", "replyWindow", ""))
                .then()
                .statusCode(403);
        assertThat(Api.read(Organization.class, home.practice).getName())
                .isNotEqualTo("Taken over");

        // another practice's admin does not find this practice's entries
        PracticeFixture other = PracticeFixture.create(identities);
        String login = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        login,
                        PracticeFixture.PASSWORD,
                        "Other Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(other.practice),
                        null,
                        null,
                        Set.of()));
        WebSession foreign = WebSession.signIn(login, PracticeFixture.PASSWORD);
        foreign.get("/admin/practitioners/" + PracticeFixture.id(home.ep)).then().statusCode(404);
        foreign.get("/admin/pools");
        foreign.submit("/admin/pools/" + PracticeFixture.id(home.pool) + "/retire", Map.of())
                .then()
                .statusCode(404);
        assertThat(Api.read(CareTeam.class, home.pool).getStatus())
                .isEqualTo(CareTeam.CareTeamStatus.ACTIVE);
    }

    /** The audit entries of changes to one entry (the fixture's FHIR create, then the pages' and FHIR updates). */
    private static List<String> changes(String type, String id) {
        return AuditRows.query(
                "resource_type = ? and resource_id = ? and action in ('CREATE', 'UPDATE')",
                type,
                id);
    }

    private int denominator(String start, String end) {
        String body =
                fhir().get(
                                "/fhir/Measure/sm-s2/$evaluate-measure?periodStart="
                                        + start
                                        + "&periodEnd="
                                        + end
                                        + "&practitioner="
                                        + home.ep)
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString();
        MeasureReport report = Fhir.parse(body, MeasureReport.class);
        return report.getGroupFirstRep().getPopulation().stream()
                .filter(p -> "denominator".equals(p.getCode().getCodingFirstRep().getCode()))
                .findFirst()
                .orElseThrow()
                .getCount();
    }
}
