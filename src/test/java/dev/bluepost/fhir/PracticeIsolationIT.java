package dev.bluepost.fhir;

import static dev.bluepost.testing.Builders.aMessage;
import static dev.bluepost.testing.Builders.aProxy;
import static dev.bluepost.testing.Builders.aVisit;
import static dev.bluepost.testing.PracticeSystem.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.Api;
import dev.bluepost.testing.AuditJournal;
import dev.bluepost.testing.EmbeddedPostgresResource;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.PracticeSystem;
import dev.bluepost.testing.SampleFiles;
import dev.bluepost.testing.Sql;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The isolation matrix of practices' backend clients (ADR 0048), over the real stack: two practices,
 * each with its own registered system and data of every kind; for every resource type the
 * CapabilityStatement lists, a practice's system reads its own resource, gets 404 for the other
 * practice's, finds nothing searching the other's id, and every search answers only resources the
 * database says are its practice's. Includes are not offered (400, so nothing rides along),
 * Binary of the other practice's attachment is 404, and measure reports cover only its own EPs.
 */
@QuarkusTest
class PracticeIsolationIT {

    /** Per type, the ids the database holds for one practice. */
    private static final Map<String, String> IDS_OF_PRACTICE =
            Map.ofEntries(
                    Map.entry("Organization", "select id::text from practice where id = ?"),
                    Map.entry("Location", "select id::text from location where practice_id = ?"),
                    Map.entry(
                            "Practitioner",
                            "select practitioner_id::text from practitioner_practice where practice_id = ?"),
                    Map.entry("Patient", "select id::text from patient where practice_id = ?"),
                    Map.entry(
                            "RelatedPerson",
                            "select r.id::text from related_person r join patient p on p.id = r.patient_id where p.practice_id = ?"),
                    Map.entry("CareTeam", "select id::text from care_team where practice_id = ?"),
                    Map.entry("Device", "select id::text from device where practice_id = ?"),
                    Map.entry("Encounter", "select id::text from encounter where practice_id = ?"),
                    Map.entry(
                            "DocumentReference",
                            "select id::text from visit_document where practice_id = ?"),
                    Map.entry(
                            "Communication", "select id::text from message where practice_id = ?"),
                    Map.entry("Task", "select id::text from triage_item where practice_id = ?"),
                    Map.entry(
                            "AuditEvent",
                            "select substr(hash, 1, 8) || '-' || substr(hash, 9, 4) || '-' || substr(hash, 13, 4) || '-' "
                                    + "|| substr(hash, 17, 4) || '-' || substr(hash, 21, 12) from audit_event where practice_id = ?"));

    @Inject IdentityService identities;

    private Side a;
    private Side b;

    /** One practice with its system's token and one resource of every type. */
    private final class Side {
        final PracticeFixture fixture;
        final UUID practiceId;
        final String token;
        final Map<String, String> one = new LinkedHashMap<>();
        final String attachment;

        Side() {
            fixture = PracticeFixture.create(identities);
            practiceId = PracticeFixture.id(fixture.practice);
            String login = "admin-" + UUID.randomUUID().toString().substring(0, 8);
            identities.createUser(
                    new IdentityService.NewUser(
                            login,
                            PracticeFixture.PASSWORD,
                            "Admin",
                            Set.of(Role.ADMIN),
                            practiceId,
                            null,
                            null,
                            Set.of()));
            token =
                    PracticeSystem.rsa(2048)
                            .registeredBy(
                                    WebSession.signIn(login, PracticeFixture.PASSWORD),
                                    "EHR " + login)
                            .token("system/*.rs");
            one.put("Organization", fixture.practice);
            one.put("Location", fixture.location);
            one.put("Practitioner", fixture.ep);
            one.put("Patient", fixture.patient);
            one.put("CareTeam", fixture.pool);
            one.put("RelatedPerson", "RelatedPerson/" + Api.create(aProxy(fixture.patient)));
            Device device = new Device().setOwner(new Reference(fixture.practice));
            device.addDeviceName()
                    .setName("Automatic replies")
                    .setType(Device.DeviceNameType.USERFRIENDLYNAME);
            one.put("Device", "Device/" + Api.create(device));
            String encounter =
                    "Encounter/"
                            + Api.create(
                                    aVisit(
                                            fixture.patient,
                                            fixture.ep,
                                            fixture.location,
                                            fixture.practice,
                                            Instant.now().minus(5, ChronoUnit.DAYS)));
            one.put("Encounter", encounter);
            DocumentReference document = new DocumentReference();
            document.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
            document.setSubject(new Reference(fixture.patient));
            document.getContext().addEncounter(new Reference(encounter));
            document.setDate(Date.from(Instant.now().minus(4, ChronoUnit.DAYS)));
            document.addContent()
                    .getAttachment()
                    .setContentType("text/plain")
                    .setTitle("Visit summary")
                    .setData("Rest and fluids".getBytes(StandardCharsets.UTF_8));
            one.put("DocumentReference", "DocumentReference/" + Api.create(document));
            Communication message =
                    aMessage(fixture.patient, fixture.pool, "A question with a photo");
            message.addPayload()
                    .setContent(
                            new Attachment()
                                    .setContentType("image/png")
                                    .setTitle("photo.png")
                                    .setData(SampleFiles.png()));
            String messageId = Api.create(message);
            one.put("Communication", "Communication/" + messageId);
            attachment =
                    Api.fhir()
                            .get("/fhir/Communication/" + messageId)
                            .then()
                            .statusCode(200)
                            .extract()
                            .path("payload[1].contentAttachment.url");
            String task =
                    await().atMost(Duration.ofSeconds(30))
                            .until(
                                    () ->
                                            Sql.single(
                                                    "select id::text from triage_item where message_id = ?::uuid",
                                                    messageId),
                                    t -> t != null);
            one.put("Task", "Task/" + task);
            AuditJournal.settle();
            one.put(
                    "AuditEvent",
                    "AuditEvent/"
                            + column(IDS_OF_PRACTICE.get("AuditEvent") + " limit 1", practiceId)
                                    .get(0));
        }
    }

    @BeforeEach
    void twoPractices() {
        a = new Side();
        b = new Side();
    }

    @Test
    void shouldConfineEveryTypeOfTheCapabilityStatementToTheClientsOwnPractice() {
        List<String> types =
                Api.fhir()
                        .get("/fhir/metadata")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("rest[0].resource.type", String.class);
        assertThat(types).contains("Binary", "Measure", "Group");
        // Binary and Group are read by id only (below); Measure definitions are shared by every
        // practice
        List<String> practiceTypes =
                types.stream()
                        .filter(t -> !List.of("Binary", "Measure", "Group").contains(t))
                        .toList();
        assertThat(IDS_OF_PRACTICE.keySet())
                .as("every practice type of the CapabilityStatement is in this matrix")
                .containsExactlyInAnyOrderElementsOf(practiceTypes);
        for (Side self : List.of(a, b)) {
            Side other = self == a ? b : a;
            for (String type : practiceTypes) {
                String own = self.one.get(type);
                String foreign = other.one.get(type);
                as(self.token)
                        .get("/fhir/" + own)
                        .then()
                        .statusCode(200)
                        .body("id", equalTo(id(own)));
                as(self.token)
                        .get("/fhir/" + foreign)
                        .then()
                        .statusCode(404)
                        .body("resourceType", equalTo("OperationOutcome"));
                as(self.token)
                        .get("/fhir/" + type + "?_id=" + id(foreign))
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(0));
                as(self.token)
                        .contentType("application/x-www-form-urlencoded")
                        .formParam("_id", id(foreign))
                        .post("/fhir/" + type + "/_search")
                        .then()
                        .statusCode(200)
                        .body("total", equalTo(0));
                JsonPath page =
                        as(self.token)
                                .get("/fhir/" + type + "?_count=500")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath();
                List<String> found = page.getList("entry.resource.id", String.class);
                Set<String> ownInDb =
                        new HashSet<>(column(IDS_OF_PRACTICE.get(type), self.practiceId));
                Set<String> otherInDb =
                        new HashSet<>(column(IDS_OF_PRACTICE.get(type), other.practiceId));
                assertThat(found)
                        .as(type + " search of a practice's system")
                        .isNotEmpty()
                        .contains(id(own))
                        .allMatch(ownInDb::contains, "its own practice's (database)")
                        .noneMatch(otherInDb::contains);
                if (!type.equals(
                        "AuditEvent")) { // audit entries keep being written, by these very searches
                    // too
                    assertThat(page.getInt("total"))
                            .as(type + " total")
                            .isEqualTo(found.size())
                            .isLessThanOrEqualTo(ownInDb.size());
                }
            }
            // searches that name the other practice's records find nothing
            as(self.token)
                    .get("/fhir/Communication?subject=" + other.fixture.patient)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
            as(self.token)
                    .get("/fhir/Task?focus=" + other.one.get("Communication"))
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
            as(self.token)
                    .get("/fhir/Encounter?service-provider=" + other.fixture.practice)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
            as(self.token)
                    .get("/fhir/RelatedPerson?patient=" + other.fixture.patient)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
            as(self.token)
                    .get("/fhir/AuditEvent?patient=" + other.fixture.patient)
                    .then()
                    .statusCode(200)
                    .body("total", equalTo(0));
            // includes are not offered: refused, so no other resource rides along
            as(self.token)
                    .get("/fhir/Communication?_include=Communication:subject")
                    .then()
                    .statusCode(400);
            as(self.token).get("/fhir/Communication?_revinclude=Task:focus").then().statusCode(400);
            // the practice as a Group (what Bulk Data exports): its own, never the other's
            as(self.token)
                    .get("/fhir/Group/" + self.practiceId)
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(self.practiceId.toString()));
            as(self.token)
                    .get("/fhir/Group/" + other.practiceId)
                    .then()
                    .statusCode(404)
                    .body("resourceType", equalTo("OperationOutcome"));
            // the attachment of a message
            as(self.token)
                    .accept("application/octet-stream")
                    .get("/fhir/" + self.attachment)
                    .then()
                    .statusCode(200);
            as(self.token)
                    .accept("application/octet-stream")
                    .get("/fhir/" + other.attachment)
                    .then()
                    .statusCode(404);
            as(self.token)
                    .get("/fhir/" + other.attachment + "?_format=json")
                    .then()
                    .statusCode(404);
        }
    }

    @Test
    void shouldReportMeasuresOnlyForTheClientsOwnPracticesEps() {
        String period =
                "periodStart=" + LocalDate.now().minusDays(30) + "&periodEnd=" + LocalDate.now();
        int measures =
                Api.fhir().get("/fhir/Measure").then().statusCode(200).extract().path("total");
        as(a.token).get("/fhir/Measure").then().statusCode(200).body("total", equalTo(measures));
        as(a.token).get("/fhir/Measure/sm-s2").then().statusCode(200);
        List<String> subjects =
                as(a.token)
                        .get("/fhir/Measure/sm-s2/$evaluate-measure?" + period)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("entry.resource.subject.reference", String.class);
        Set<String> ownEps = new HashSet<>();
        column(IDS_OF_PRACTICE.get("Practitioner"), a.practiceId)
                .forEach(id -> ownEps.add("Practitioner/" + id));
        assertThat(subjects)
                .isNotEmpty()
                .contains(a.fixture.ep)
                .allMatch(ownEps::contains)
                .doesNotContain(b.fixture.ep);
        as(a.token)
                .get(
                        "/fhir/Measure/sm-s2/$evaluate-measure?"
                                + period
                                + "&practitioner="
                                + a.fixture.ep)
                .then()
                .statusCode(200)
                .body("subject.reference", equalTo(a.fixture.ep));
        as(a.token)
                .get(
                        "/fhir/Measure/sm-s2/$evaluate-measure?"
                                + period
                                + "&practitioner="
                                + b.fixture.ep)
                .then()
                .statusCode(404);
        as(a.token)
                .get(
                        "/fhir/Measure/sm-s2/$evaluate-measure?"
                                + period
                                + "&organization="
                                + b.fixture.practice)
                .then()
                .statusCode(404);
        as(a.token)
                .get(
                        "/fhir/Measure/sm-s2/$evaluate-measure?"
                                + period
                                + "&reportType=subject-list&practitioner="
                                + b.fixture.ep)
                .then()
                .statusCode(404);
    }

    private static String id(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    private static List<String> column(String sql, UUID practiceId) {
        try (Connection db = EmbeddedPostgresResource.dataSource().getConnection();
                PreparedStatement query = db.prepareStatement(sql)) {
            query.setObject(1, practiceId);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
