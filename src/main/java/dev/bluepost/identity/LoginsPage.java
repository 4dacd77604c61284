package dev.bluepost.identity;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.PractitionerView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.Language;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.web.FormErrors;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** A login in the list, in words (no ids). */
    public record Row(
            String username,
            String displayName,
            String roles,
            String record,
            String email,
            boolean secondFactor,
            String lockState,
            boolean unlockable,
            boolean self,
            boolean active,
            boolean staff,
            List<RoleBox> roleBoxes) {}

    /** A staff role in a login's role form: its value, its name in words, whether the login has it. */
    public record RoleBox(String value, String label, boolean checked) {}

    /** A record a login can stand for: the form's value ({@code Patient/…}) and what the admin reads. */
    public record RecordChoice(String value, String label) {}

    /** The records of one kind, a group of the chooser. */
    public record RecordGroup(String label, List<RecordChoice> choices) {}

    /** A role the new login can have, with its name in words. */
    public record RoleChoice(String value, String label) {}

    /** What the admin typed into the new-login form, shown again when it is refused. */
    public record NewLogin(
            String username, String displayName, String role, String record, String email) {

        static final NewLogin EMPTY = new NewLogin("", "", Role.FRONT_DESK.name(), "", "");

        public NewLogin {
            username = username == null ? "" : username;
            displayName = displayName == null ? "" : displayName;
            role = role == null ? "" : role;
            record = record == null ? "" : record;
            email = email == null ? "" : email;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance logins(
                List<Row> rows,
                List<RecordGroup> records,
                List<RoleChoice> roles,
                FormErrors errors,
                NewLogin form,
                int minPasswordLength,
                String notice,
                String supportError);
    }

    /** What a user name looks like ({@link IdentityService}); anything else in a notice parameter is ignored. */
    private static final java.util.regex.Pattern USERNAME =
            java.util.regex.Pattern.compile("[a-z0-9._@-]{3,64}");

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject DirectoryService directory;

    @Inject AccountSupportService support;

    @Inject LoginLifecycleService lifecycle;

    @Inject java.time.Clock clock;

    @Inject SecurityConfig config;

    @Inject ReaderLanguage reader;

    @GET
    public TemplateInstance logins(
            @QueryParam("created") String created,
            @QueryParam("reset") String reset,
            @QueryParam("unlocked") String unlocked,
            @QueryParam("done") String done,
            @QueryParam("login") String login) {
        AccountMessages m = messages();
        created = created != null && USERNAME.matcher(created).matches() ? created : null;
        reset = reset != null && USERNAME.matcher(reset).matches() ? reset : null;
        unlocked = unlocked != null && USERNAME.matcher(unlocked).matches() ? unlocked : null;
        login = login != null && USERNAME.matcher(login).matches() ? login : null;
        String notice =
                created != null
                        ? m.logins_created(created)
                        : reset != null
                                ? m.logins_reset_done(reset)
                                : unlocked != null
                                        ? m.logins_unlocked(unlocked)
                                        : login != null && done != null
                                                ? lifecycleNotice(done, login, m)
                                                : null;
        return page(FormErrors.none(), NewLogin.EMPTY, notice, null);
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
            return Response.seeOther(URI.create("/admin/logins?unlocked=" + encode(username)))
                    .build();
        } catch (BluepostException e) {
            return refused(e);
        }
    }

    /** Gives a staff login exactly the roles ticked (ADR 0040). */
    @POST
    @Path("{username}/roles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRoles(
            @PathParam("username") String username, @FormParam("roles") List<String> roles) {
        Set<Role> chosen = java.util.EnumSet.noneOf(Role.class);
        for (String role : roles == null ? List.<String>of() : roles) {
            LoginLifecycleService.STAFF_ROLES.stream()
                    .filter(r -> r.name().equals(role))
                    .forEach(chosen::add);
        }
        return lifecycle(
                username,
                "roles",
                () -> lifecycle.changeRoles(currentActor.get(), username, chosen));
    }

    /** Deactivates a login: its sessions and app tokens end at once, sign-in is refused. */
    @POST
    @Path("{username}/deactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response deactivate(@PathParam("username") String username) {
        return lifecycle(
                username, "deactivated", () -> lifecycle.deactivate(currentActor.get(), username));
    }

    /** Makes a deactivated login active again. */
    @POST
    @Path("{username}/reactivate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response reactivate(@PathParam("username") String username) {
        return lifecycle(
                username, "reactivated", () -> lifecycle.reactivate(currentActor.get(), username));
    }

    /** E-mails the login a password reset link. */
    @POST
    @Path("{username}/send-reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sendPasswordReset(@PathParam("username") String username) {
        return lifecycle(
                username,
                "reset-sent",
                () -> lifecycle.sendPasswordReset(currentActor.get(), username));
    }

    /** Signs the login out of every browser and app. */
    @POST
    @Path("{username}/end-sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response endSessions(@PathParam("username") String username) {
        return lifecycle(
                username, "signed-out", () -> lifecycle.endSessions(currentActor.get(), username));
    }

    private Response lifecycle(String username, String done, Runnable action) {
        try {
            action.run();
            return Response.seeOther(
                            URI.create("/admin/logins?done=" + done + "&login=" + encode(username)))
                    .build();
        } catch (BluepostException e) {
            return refused(e);
        }
    }

    private static String lifecycleNotice(String done, String login, AccountMessages m) {
        return switch (done) {
            case "roles" -> m.logins_roles_done(login);
            case "deactivated" -> m.logins_deactivated(login);
            case "reactivated" -> m.logins_reactivated(login);
            case "reset-sent" -> m.logins_reset_sent(login);
            case "signed-out" -> m.logins_sessions_ended(login);
            default -> null;
        };
    }

    private Response refused(BluepostException e) {
        if (e.kind().status() != 422) {
            throw e;
        }
        String text = e.in(reader.language());
        return html(422, page(FormErrors.none(), NewLogin.EMPTY, null, text));
    }

    private static String encode(String username) {
        return java.net.URLEncoder.encode(
                username.trim().toLowerCase(java.util.Locale.ROOT),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(
            @FormParam("username") String username,
            @FormParam("displayName") String displayName,
            @FormParam("role") String role,
            @FormParam("record") String record,
            @FormParam("password") String password,
            @FormParam("email") String email) {
        UUID practice = currentActor.get().practiceId();
        NewLogin form = new NewLogin(username, displayName, role, record, email);
        AccountMessages m = messages();
        Role chosen =
                ROLES.stream().filter(r -> r.name().equals(form.role())).findFirst().orElse(null);
        if (chosen == null) {
            return html(422, page(FormErrors.field("role", m.error_role()), form, null, null));
        }
        String chosenRecord = form.record();
        if (!chosenRecord.isBlank()
                && recordGroups(practice, m).stream()
                        .flatMap(g -> g.choices().stream())
                        .noneMatch(r -> r.value().equals(chosenRecord))) {
            return html(
                    422,
                    page(FormErrors.field("record", m.error_record_unknown()), form, null, null));
        }
        try {
            String type =
                    chosenRecord.contains("/")
                            ? chosenRecord.substring(0, chosenRecord.indexOf('/'))
                            : "";
            identities.createUser(
                    new IdentityService.NewUser(
                            username,
                            password,
                            displayName,
                            Set.of(chosen),
                            chosen.isStaff() ? practice : null,
                            type.equals("Practitioner")
                                    ? LoginLinks.id(chosenRecord, "Practitioner")
                                    : null,
                            type.equals("Patient") ? LoginLinks.id(chosenRecord, "Patient") : null,
                            type.equals("RelatedPerson")
                                    ? Set.of(LoginLinks.id(chosenRecord, "RelatedPerson"))
                                    : Set.of(),
                            email));
            return Response.seeOther(URI.create("/admin/logins?created=" + encode(username)))
                    .build();
        } catch (BluepostException e) {
            if (e.kind().status() != 422 && e.kind().status() != 409) {
                throw e;
            }
            return html(e.kind().status(), page(AccountErrors.of(e, reader), form, null, null));
        }
    }

    private static final List<Role> ROLES =
            List.of(
                    Role.PATIENT,
                    Role.PROXY,
                    Role.PROVIDER,
                    Role.FRONT_DESK,
                    Role.COMPLIANCE,
                    Role.ADMIN);

    private TemplateInstance page(
            FormErrors errors, NewLogin form, String notice, String supportError) {
        AccountMessages m = messages();
        UUID practice = currentActor.get().practiceId();
        ZoneId zone = directory.practice(practice).map(p -> p.zone()).orElse(ZoneOffset.UTC);
        DateTimeFormatter when =
                DateTimeFormatter.ofPattern(m.datetime_pattern(), reader.locale()).withZone(zone);
        List<RecordGroup> groups = recordGroups(practice, m);
        Map<String, String> labels = new HashMap<>();
        groups.forEach(g -> g.choices().forEach(c -> labels.put(c.value(), c.label())));
        List<IdentityService.UserView> users = identities.usersOfPractice(practice);
        Map<UUID, AccountSupportService.LoginState> states =
                support.states(users.stream().map(IdentityService.UserView::id).toList());
        java.time.Instant now = clock.instant();
        UUID self = currentActor.get().userId();
        List<Row> rows =
                users.stream()
                        .map(
                                u -> {
                                    AccountSupportService.LoginState state =
                                            states.getOrDefault(
                                                    u.id(),
                                                    new AccountSupportService.LoginState(
                                                            false, null, 0, true));
                                    boolean troubled =
                                            state.locked(now) || state.failedLogins() > 0;
                                    String lock =
                                            state.locked(now)
                                                    ? m.lock_until(when.format(state.lockedUntil()))
                                                    : state.failedLogins() == 1
                                                            ? m.lock_failed_one()
                                                            : state.failedLogins() > 1
                                                                    ? m.lock_failed_many(
                                                                            state.failedLogins())
                                                                    : m.lock_none();
                                    return new Row(
                                            u.username(),
                                            u.displayName(),
                                            u.roles().stream()
                                                    .sorted()
                                                    .map(r -> r.inWords(reader.language()))
                                                    .collect(Collectors.joining(", ")),
                                            linkLabel(u, labels, m, reader.language()),
                                            u.email(),
                                            state.secondFactor(),
                                            lock,
                                            troubled,
                                            u.id().equals(self),
                                            state.active(),
                                            u.isStaff(),
                                            LoginLifecycleService.STAFF_ROLES.stream()
                                                    .map(
                                                            r ->
                                                                    new RoleBox(
                                                                            r.name(),
                                                                            r.inWords(
                                                                                    reader
                                                                                            .language()),
                                                                            u.roles().contains(r)))
                                                    .toList());
                                })
                        .toList();
        List<RoleChoice> roles =
                ROLES.stream()
                        .map(r -> new RoleChoice(r.name(), r.inWords(reader.language())))
                        .toList();
        return Templates.logins(
                rows,
                groups,
                roles,
                errors,
                form,
                config.password().minLength(),
                notice,
                supportError);
    }

    private static String linkLabel(
            IdentityService.UserView u,
            Map<String, String> labels,
            AccountMessages m,
            Language language) {
        if (u.patientId() != null) {
            return labels.getOrDefault("Patient/" + u.patientId(), Role.PATIENT.inWords(language));
        }
        if (!u.relatedPersonIds().isEmpty()) {
            return u.relatedPersonIds().stream()
                    .map(
                            id ->
                                    labels.getOrDefault(
                                            "RelatedPerson/" + id, Role.PROXY.inWords(language)))
                    .collect(Collectors.joining("; "));
        }
        return u.practitionerId() == null
                ? m.none()
                : labels.getOrDefault(
                        "Practitioner/" + u.practitionerId(), m.group_practitioners());
    }

    /** Practitioners, patients and family members' or caregivers' authorizations of the practice, by kind. */
    private List<RecordGroup> recordGroups(UUID practice, AccountMessages m) {
        DateTimeFormatter born = DateTimeFormatter.ofPattern(m.date_pattern(), reader.locale());
        List<RecordChoice> practitioners = new ArrayList<>();
        for (PractitionerView p : directory.practitionersOfPractice(practice)) {
            practitioners.add(
                    new RecordChoice(
                            "Practitioner/" + p.id(),
                            p.npi() == null
                                    ? p.displayName()
                                    : m.record_practitioner_npi(p.displayName(), p.npi())));
        }
        List<PatientView> patients = directory.patientsOfPractice(practice);
        Map<UUID, String> names =
                patients.stream()
                        .collect(
                                Collectors.toMap(
                                        PatientView::id, PatientView::displayName, (a, b) -> a));
        List<RecordChoice> patientChoices = new ArrayList<>();
        for (PatientView p : patients) {
            patientChoices.add(
                    new RecordChoice(
                            "Patient/" + p.id(),
                            p.birthDate() == null
                                    ? p.displayName()
                                    : m.record_patient_born(
                                            p.displayName(), born.format(p.birthDate()))));
        }
        List<RecordChoice> proxies = new ArrayList<>();
        for (ProxyView r : directory.relatedPersonsOfPatients(names.keySet())) {
            proxies.add(
                    new RecordChoice(
                            "RelatedPerson/" + r.id(),
                            m.record_proxy_for(r.displayName(), names.get(r.patientId()))));
        }
        return List.of(
                new RecordGroup(m.group_practitioners(), practitioners),
                new RecordGroup(m.group_patients(), patientChoices),
                new RecordGroup(m.group_proxies(), proxies));
    }

    private AccountMessages messages() {
        return reader.messages(AccountMessages.class);
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page.render())
                .header("Cache-Control", "no-store")
                .build();
    }
}
