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
import jakarta.ws.rs.PathParam;
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

/**
 * The practice admin creates logins for staff, patients and proxies of the practice, and supports
 * them: resets a login's second factor and unlocks a locked login ({@link AccountSupportService}).
 */
@Path("/admin/logins")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.TEXT_HTML)
public class LoginsPage {

    /** A login in the list. */
    public record Row(String username, String displayName, String roles, String record, String email, boolean secondFactor,
                      String lockState, boolean unlockable) {
    }

    /** A record a login can stand for, e.g. {@code Patient/…}. */
    public record RecordChoice(String value, String label, String group) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance logins(List<Row> rows, List<RecordChoice> records, List<String> roles, String error,
                                              String created, String username, String displayName, String role, String record,
                                              String email, String notice, String supportError);
    }

    /** What a user name looks like ({@link IdentityService}); anything else in a notice parameter is ignored. */
    private static final java.util.regex.Pattern USERNAME = java.util.regex.Pattern.compile("[a-z0-9._@-]{3,64}");

    @Inject
    CurrentActor currentActor;

    @Inject
    IdentityService identities;

    @Inject
    DirectoryService directory;

    @Inject
    AccountSupportService support;

    @Inject
    java.time.Clock clock;

    @GET
    public TemplateInstance logins(@QueryParam("created") String created, @QueryParam("reset") String reset,
                                   @QueryParam("unlocked") String unlocked) {
        reset = reset != null && USERNAME.matcher(reset).matches() ? reset : null;
        unlocked = unlocked != null && USERNAME.matcher(unlocked).matches() ? unlocked : null;
        String notice = reset != null ? "The second factor of " + reset + " is removed and their sessions have ended. "
                + "Staff set up a new one at their next sign-in; patients and proxies may set one up again on their account page."
                : unlocked != null ? "The login " + unlocked + " is unlocked: the failed sign-ins are cleared." : null;
        return page(null, created, "", "", Role.FRONT_DESK.name(), "", "", notice, null);
    }

    /** Removes a login's second factor (TOTP and recovery codes), e.g. after a lost phone; the person enrols again. */
    @POST
    @Path("{username}/reset-mfa")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetSecondFactor(@PathParam("username") String username) {
        try {
            support.resetSecondFactor(currentActor.get(), username);
            return Response.seeOther(URI.create("/admin/logins?reset=" + encode(username))).build();
        } catch (BluepostException e) {
            return refused(e);
        }
    }

    /** Lifts a login's lockout and clears its failed sign-ins. */
    @POST
    @Path("{username}/unlock")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unlock(@PathParam("username") String username) {
        try {
            support.unlock(currentActor.get(), username);
            return Response.seeOther(URI.create("/admin/logins?unlocked=" + encode(username))).build();
        } catch (BluepostException e) {
            return refused(e);
        }
    }

    private Response refused(BluepostException e) {
        if (e.kind().status() != 422) {
            throw e;
        }
        return Response.status(422).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(null, null, "", "", Role.FRONT_DESK.name(), "", "", null, e.getMessage()).render()).build();
    }

    private static String encode(String username) {
        return java.net.URLEncoder.encode(username.trim().toLowerCase(java.util.Locale.ROOT), java.nio.charset.StandardCharsets.UTF_8);
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
                    .entity(page(e.getMessage(), null, username, displayName, role, record, email, null, null).render()).build();
        }
    }

    private TemplateInstance page(String error, String created, String username, String displayName, String role, String record,
                                  String email, String notice, String supportError) {
        UUID practice = currentActor.get().practiceId();
        List<RecordChoice> records = records(practice);
        Map<String, String> labels = records.stream().collect(Collectors.toMap(RecordChoice::value, RecordChoice::label));
        List<IdentityService.UserView> users = identities.usersOfPractice(practice);
        Map<UUID, AccountSupportService.LoginState> states = support.states(users.stream().map(IdentityService.UserView::id).toList());
        java.time.Instant now = clock.instant();
        List<Row> rows = users.stream().map(u -> {
            AccountSupportService.LoginState state = states.getOrDefault(u.id(), new AccountSupportService.LoginState(false, null, 0));
            String lock = state.locked(now) ? "Locked until " + java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                    state.lockedUntil().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    : state.failedLogins() > 0 ? state.failedLogins() + " failed sign-in" + (state.failedLogins() == 1 ? "" : "s")
                    : "—";
            return new Row(u.username(), u.displayName(),
                    u.roles().stream().map(Enum::name).sorted().collect(Collectors.joining(", ")), linkLabel(u, labels),
                    u.email() == null ? "—" : u.email(), state.secondFactor(), lock, !"—".equals(lock));
        }).toList();
        List<String> roles = List.of("PATIENT", "PROXY", "PROVIDER", "FRONT_DESK", "COMPLIANCE", "ADMIN");
        return Templates.logins(rows, records, roles, error, created, username == null ? "" : username,
                displayName == null ? "" : displayName, role == null ? "" : role, record == null ? "" : record,
                email == null ? "" : email, notice, supportError);
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
