package dev.bluepost.web;

import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the shared layout shows about the signed-in person: {@code {inject:page.…}} in templates. */
@Named("page")
@RequestScoped
public class PageContext {

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject dev.bluepost.identity.SessionService sessions;

    @Inject LanguageChoice language;

    private Optional<IdentityService.UserView> user;

    private Long remaining;

    /** A navigation entry: a link, or (with children) a menu of links. */
    public record NavLink(String href, String label, List<NavLink> children) {

        NavLink(String href, String label) {
            this(href, label, List.of());
        }

        public boolean isMenu() {
            return !children.isEmpty();
        }
    }

    public boolean isSignedIn() {
        return user().isPresent();
    }

    public String getDisplayName() {
        return user().map(IdentityService.UserView::displayName).orElse("");
    }

    /** The main navigation for the signed-in person's roles, in their language. */
    public List<NavLink> getLinks() {
        List<NavLink> links = new ArrayList<>();
        Optional<Actor> actor = currentActor.find();
        if (actor.isEmpty()) {
            return links;
        }
        Actor a = actor.get();
        AppMessages m = language.messages(AppMessages.class);
        if (a.isPatientSide()) {
            links.add(new NavLink("/patient", m.nav_messages()));
            links.add(new NavLink("/patient/messages/new", m.nav_new_message()));
            links.add(new NavLink("/patient/documents", m.nav_documents()));
            links.add(new NavLink("/patient/history", m.nav_download()));
            links.add(new NavLink("/patient/access-log", m.nav_access_log()));
            if (a.has(Role.PROXY)) {
                links.add(new NavLink("/proxy/choose", m.nav_switch_patient()));
            }
        }
        if (a.has(Role.FRONT_DESK) || a.has(Role.PROVIDER)) {
            links.add(new NavLink("/staff/queue", m.nav_queue()));
            links.add(new NavLink("/staff/online-access", m.nav_online_access()));
        }
        if (a.has(Role.COMPLIANCE)) {
            links.add(new NavLink("/compliance", m.nav_measures()));
            links.add(new NavLink("/compliance/encounter-imports", m.nav_encounter_imports()));
            links.add(new NavLink("/compliance/emergency-access", m.nav_emergency_access()));
            links.add(new NavLink("/compliance/audit", m.nav_audit_report()));
        }
        if (a.has(Role.ADMIN)) {
            List<NavLink> practice = new ArrayList<>();
            practice.add(new NavLink("/admin", m.nav_directory()));
            practice.add(new NavLink("/admin/logins", m.nav_logins()));
            if (!a.has(Role.COMPLIANCE)) {
                practice.add(
                        new NavLink("/compliance/encounter-imports", m.nav_encounter_imports()));
                practice.add(new NavLink("/compliance/audit", m.nav_audit_report()));
            }
            practice.add(new NavLink("/admin/audit", m.nav_audit_settings()));
            practice.add(new NavLink("/admin/broadband", m.nav_broadband()));
            practice.add(
                    new NavLink(
                            "/admin/integrations",
                            language.messages(dev.bluepost.identity.apps.IntegrationMessages.class)
                                    .nav()));
            links.add(new NavLink(null, m.nav_practice(), practice));
        }
        if (a.userId() != null) {
            List<NavLink> account =
                    new ArrayList<>(
                            List.of(
                                    new NavLink("/account/notifications", m.nav_notifications()),
                                    new NavLink("/account/security", m.nav_security()),
                                    new NavLink("/account/sessions", m.nav_sessions())));
            if (a.has(Role.PATIENT) || a.has(Role.PROXY)) {
                // the apps a patient or proxy allowed (staff authorize none: /oauth/authorize
                // refuses them)
                account.add(new NavLink("/account/apps", m.nav_apps()));
            }
            links.add(new NavLink(null, m.nav_account(), account));
        }
        return links;
    }

    /**
     * Seconds the signed-in person's session has left before it ends for inactivity (0 when not
     * signed in with a session): the session script ({@code /js/session.js}) warns a minute before and
     * goes to the sign-in page at the end; asking does not count as activity.
     */
    public long getRemainingSeconds() {
        if (remaining == null) {
            remaining =
                    isSignedIn()
                            ? sessions.remaining(currentActor.sessionId())
                                    .map(java.time.Duration::toSeconds)
                                    .orElse(0L)
                            : 0L;
        }
        return remaining;
    }

    /**
     * Seconds after which a page reloads itself where scripts do not run (a meta refresh inside
     * {@code noscript}): just after the inactivity limit, so that a screen left alone does not keep
     * showing patient information; the reload finds the session ended and shows the sign-in page
     * saying why. Where scripts run, the session script does this instead, and does not reload a page
     * the person is still working in.
     */
    public long getRefreshSeconds() {
        long left = getRemainingSeconds();
        return left <= 0 ? 0 : left + 5;
    }

    /** The signed-in login (empty before sign-in, and for app tokens). */
    public Optional<IdentityService.UserView> signedInUser() {
        return user();
    }

    private Optional<IdentityService.UserView> user() {
        if (user == null) {
            user =
                    currentActor
                            .find()
                            .flatMap(
                                    a ->
                                            a.userId() == null
                                                    ? Optional.empty()
                                                    : identities.user(a.userId()));
        }
        return user;
    }
}
