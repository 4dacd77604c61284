package dev.bluepost.web;

import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Actor;
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

    @Inject
    CurrentActor currentActor;

    @Inject
    IdentityService identities;

    @Inject
    dev.bluepost.identity.SessionService sessions;

    private Optional<IdentityService.UserView> user;

    private Long remaining;

    public record NavLink(String href, String label) {
    }

    public boolean isSignedIn() {
        return user().isPresent();
    }

    public String getDisplayName() {
        return user().map(IdentityService.UserView::displayName).orElse("");
    }

    public List<NavLink> getLinks() {
        List<NavLink> links = new ArrayList<>();
        Optional<Actor> actor = currentActor.find();
        if (actor.isEmpty()) {
            return links;
        }
        Actor a = actor.get();
        if (a.isPatientSide()) {
            links.add(new NavLink("/patient", "Messages"));
            links.add(new NavLink("/patient/messages/new", "New message"));
            links.add(new NavLink("/patient/documents", "Visit documents"));
            links.add(new NavLink("/patient/history", "Download"));
            links.add(new NavLink("/patient/access-log", "Who opened my messages"));
            if (a.has(Role.PROXY)) {
                links.add(new NavLink("/proxy/choose", "Switch patient"));
            }
        }
        if (a.has(Role.FRONT_DESK) || a.has(Role.PROVIDER)) {
            links.add(new NavLink("/staff/queue", "Queue"));
            links.add(new NavLink("/staff/online-access", "Online access"));
        }
        if (a.has(Role.COMPLIANCE)) {
            links.add(new NavLink("/compliance", "Measures"));
            links.add(new NavLink("/compliance/emergency-access", "Emergency access"));
        }
        if (a.has(Role.COMPLIANCE) || a.has(Role.ADMIN)) {
            links.add(new NavLink("/compliance/audit", "Audit report"));
        }
        if (a.has(Role.ADMIN)) {
            links.add(new NavLink("/admin", "Practice directory"));
            links.add(new NavLink("/admin/logins", "Logins"));
            links.add(new NavLink("/admin/audit", "Audit settings"));
            links.add(new NavLink("/admin/broadband", "Broadband data"));
        }
        if (a.userId() != null) {
            links.add(new NavLink("/account/notifications", "Notifications"));
            links.add(new NavLink("/account/security", "Security"));
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
            remaining = isSignedIn() ? sessions.remaining(currentActor.sessionId()).map(java.time.Duration::toSeconds).orElse(0L) : 0L;
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

    private Optional<IdentityService.UserView> user() {
        if (user == null) {
            user = currentActor.find().flatMap(a -> a.userId() == null ? Optional.empty() : identities.user(a.userId()));
        }
        return user;
    }
}
