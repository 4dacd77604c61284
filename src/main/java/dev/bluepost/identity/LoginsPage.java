package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The practice admin creates logins for staff, patients and proxies of the practice. */
@Path("/admin/logins")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class LoginsPage {

    /** A login in the list. */
    public record Row(String username, String displayName, String roles, String record, String email) {
    }

    /** A record a login can stand for, e.g. {@code Patient/…}. */
    public record RecordChoice(String value, String label, String group) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance logins(List<Row> rows, List<RecordChoice> records, List<String> roles, String error,
                                              String created, String username, String displayName, String role, String record,
                                              String email);
    }

    @Inject
    CurrentActor currentActor;

    @Inject
    IdentityService identities;

    @Inject
    DirectoryService directory;

    @GET
    public TemplateInstance logins(@QueryParam("created") String created) {
        return page(null, created, "", "", Role.FRONT_DESK.name(), "", "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("username") String username, @FormParam("displayName") String displayName,
                           @FormParam("role") String role, @FormParam("record") String record,
                           @FormParam("password") String password, @FormParam("email") String email) {
        UUID practice = currentActor.get().practiceId();
        try {
            Role chosen = LoginLinks.role(role);
            String type = record == null || !record.contains("/") ? "" : record.substring(0, record.indexOf('/'));
            if (!record.isBlank() && records(practice).stream().noneMatch(r -> r.value().equals(record))) {
                throw BluepostException.businessRule("Choose a record of this practice.");
            }
            identities.createUser(new IdentityService.NewUser(username, password, displayName, Set.of(chosen),
                    chosen.isStaff() ? practice : null,
                    type.equals("Practitioner") ? LoginLinks.id(record, "Practitioner") : null,
                    type.equals("Patient") ? LoginLinks.id(record, "Patient") : null,
                    type.equals("RelatedPerson") ? Set.of(LoginLinks.id(record, "RelatedPerson")) : Set.of(), email));
            return Response.seeOther(URI.create("/admin/logins?created=" + java.net.URLEncoder.encode(
                    username.trim().toLowerCase(java.util.Locale.ROOT), java.nio.charset.StandardCharsets.UTF_8))).build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 409) {
                throw e;
            }
            return Response.status(e.kind().status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(page(e.getMessage(), null, username, displayName, role, record, email).render()).build();
        }
    }

    private TemplateInstance page(String error, String created, String username, String displayName, String role, String record,
                                  String email) {
        UUID practice = currentActor.get().practiceId();
        List<RecordChoice> records = records(practice);
        Map<String, String> labels = records.stream().collect(Collectors.toMap(RecordChoice::value, RecordChoice::label));
        List<Row> rows = identities.usersOfPractice(practice).stream().map(u -> new Row(u.username(), u.displayName(),
                u.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(", ")), linkLabel(u, labels),
                u.email() == null ? "—" : u.email()))
                .toList();
        List<String> roles = List.of("PATIENT", "PROXY", "PROVIDER", "FRONT_DESK", "COMPLIANCE", "ADMIN");
        return Templates.logins(rows, records, roles, error, created, username == null ? "" : username,
                displayName == null ? "" : displayName, role == null ? "" : role, record == null ? "" : record,
                email == null ? "" : email);
    }

    private static String linkLabel(IdentityService.UserView u, Map<String, String> labels) {
        if (u.patientId() != null) {
            return labels.getOrDefault("Patient/" + u.patientId(), "Patient");
        }
        if (!u.relatedPersonIds().isEmpty()) {
            return u.relatedPersonIds().stream().map(id -> labels.getOrDefault("RelatedPerson/" + id, "Proxy"))
                    .collect(Collectors.joining(", "));
        }
        return u.practitionerId() == null ? "—" : labels.getOrDefault("Practitioner/" + u.practitionerId(), "Practitioner");
    }

    /** Practitioners, patients and proxy authorizations of the practice. */
    private List<RecordChoice> records(UUID practice) {
        List<RecordChoice> choices = new ArrayList<>();
        for (PractitionerView p : directory.practitionersOfPractice(practice)) {
            choices.add(new RecordChoice("Practitioner/" + p.id(), p.displayName() + (p.npi() == null ? "" : " (NPI " + p.npi() + ")"),
                    "Practitioners"));
        }
        List<PatientView> patients = directory.patientsOfPractice(practice);
        Map<UUID, String> names = patients.stream().collect(Collectors.toMap(PatientView::id, PatientView::displayName,
                (a, b) -> a));
        for (PatientView p : patients) {
            choices.add(new RecordChoice("Patient/" + p.id(), p.displayName() + (p.birthDate() == null ? "" : ", born " + p.birthDate()),
                    "Patients"));
        }
        for (ProxyView r : directory.relatedPersonsOfPatients(names.keySet())) {
            choices.add(new RecordChoice("RelatedPerson/" + r.id(), r.displayName() + " for " + names.get(r.patientId()),
                    "Proxies (RelatedPerson)"));
        }
        return choices;
    }
}
