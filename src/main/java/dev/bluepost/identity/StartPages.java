package dev.bluepost.identity;

import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import java.util.Optional;

/** Where each person starts after signing in (and where {@code /} sends them). */
public final class StartPages {

    private StartPages() {}

    public static String of(Optional<Actor> actor) {
        if (actor.isEmpty()) {
            return "/login";
        }
        Actor a = actor.get();
        if (a.has(Role.PROXY) && a.patientId() == null) {
            return "/proxy/choose";
        }
        if (a.isPatientSide()) {
            return "/patient";
        }
        if (a.has(Role.FRONT_DESK) || a.has(Role.PROVIDER)) {
            return "/staff/queue";
        }
        if (a.has(Role.COMPLIANCE)) {
            return "/compliance";
        }
        if (a.has(Role.ADMIN)) {
            return "/admin";
        }
        return "/login";
    }
}
