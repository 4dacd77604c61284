package dev.bluepost.identity.apps;

import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.identity.AccountMessages;
import dev.bluepost.identity.SecurityConfig;
import dev.bluepost.identity.TokenService;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.PracticeTimeFormat;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.Roles;
import dev.bluepost.platform.security.SmartScopes;
import dev.bluepost.platform.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The patient apps a patient or proxy allowed (the authorization-code grant, ADR 0012), in words:
 * which app, what it may do (the consent page's words), for whose record, when it was authorized and
 * last used (in the practice's time zone); each can be disconnected, which revokes its consent and so
 * every token issued for it. The connections that ended in the last 30 days are listed with why.
 * Only the login's own consents are listed or ended; another's consent id is not found.
 */
@Path("/account/apps")
@RolesAllowed({Roles.PATIENT, Roles.PROXY})
@Produces(MediaType.TEXT_HTML)
public class ConnectedAppsPage {

    static final String PATH = "/account/apps";

    /** A connection in force: its consent id only in the form that ends it. */
    public record App(
            String id,
            String name,
            List<String> abilities,
            String patient,
            String authorized,
            String lastUsed,
            String access) {}

    /** A connection that ended, with when and why in words. */
    public record Ended(String name, String patient, String authorized, String ended, String why) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance apps(
                List<App> apps,
                List<Ended> ended,
                String notice,
                int precisionMinutes,
                int keptDays);
    }

    @Inject CurrentActor currentActor;

    @Inject AppAuthorizationService authorizations;

    @Inject ClientApps clientApps;

    @Inject SecurityConfig security;

    @Inject DirectoryService directory;

    @Inject ReaderLanguage reader;

    @Inject RoutingContext routing;

    @ConfigProperty(name = "bluepost.default-time-zone", defaultValue = "America/New_York")
    ZoneId defaultZone;

    @GET
    public TemplateInstance list() {
        AccountMessages m = reader.messages(AccountMessages.class);
        String notice =
                Flash.take(routing, PATH)
                        .map(
                                word ->
                                        switch (word) {
                                            case "disconnected" -> m.apps_disconnected();
                                            case "already-ended" -> m.apps_already_ended();
                                            default -> null;
                                        })
                        .orElse(null);
        Actor actor = currentActor.get();
        ZoneId zone =
                actor.practiceId() == null
                        ? defaultZone
                        : directory
                                .practice(actor.practiceId())
                                .map(p -> p.zone())
                                .orElse(defaultZone);
        PracticeTimeFormat time = PracticeTimeFormat.of(zone, reader.locale());
        Map<UUID, String> names = new HashMap<>();
        List<AppAuthorizationService.Connection> connections =
                authorizations.connectionsOf(actor.userId());
        List<App> apps =
                connections.stream()
                        .filter(AppAuthorizationService.Connection::inForce)
                        .map(
                                c ->
                                        new App(
                                                c.consentId().toString(),
                                                appName(c.clientId(), m),
                                                AuthorizePage.abilities(
                                                        SmartScopes.parse(c.scope()),
                                                        c.role() == Role.PROXY,
                                                        m),
                                                names.computeIfAbsent(
                                                        c.patientId(), this::patientName),
                                                time.when(c.authorizedAt()),
                                                c.lastUsedAt() == null
                                                        ? m.apps_not_used()
                                                        : time.when(c.lastUsedAt()),
                                                c.grantEndsAt() == null
                                                        ? m.apps_access_once()
                                                        : m.apps_access_until(
                                                                time.when(c.grantEndsAt()))))
                        .toList();
        List<Ended> ended =
                connections.stream()
                        .filter(c -> !c.inForce())
                        .map(
                                c ->
                                        new Ended(
                                                appName(c.clientId(), m),
                                                names.computeIfAbsent(
                                                        c.patientId(), this::patientName),
                                                time.when(c.authorizedAt()),
                                                time.when(c.endedAt()),
                                                why(c.endReason(), m)))
                        .toList();
        return Templates.apps(
                apps,
                ended,
                notice,
                (int) AppConsentUse.PRECISION.toMinutes(),
                (int) AppAuthorizationService.ENDED_KEPT.toDays());
    }

    /** Disconnects one of the person's own apps: its consent is revoked, and every token of it fails at once. */
    @POST
    @Path("disconnect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disconnect(@FormParam("consent") String consent) {
        UUID id =
                Ids.parse(consent == null ? "" : consent.strip())
                        .orElseThrow(
                                () ->
                                        BluepostException.said(
                                                        ErrorKind.MALFORMED,
                                                        AccountMessages.class,
                                                        AccountMessages::error_apps_choose)
                                                .about("consent"));
        AppAuthorizationService.Disconnect done = authorizations.disconnect(currentActor.get(), id);
        String word =
                done == AppAuthorizationService.Disconnect.DISCONNECTED
                        ? "disconnected"
                        : "already-ended";
        return Response.seeOther(URI.create(PATH))
                .cookie(Flash.next(PATH, word, security.secureCookies()))
                .build();
    }

    private String appName(String clientId, AccountMessages m) {
        return clientApps
                .app(clientId)
                .map(ClientApps.ClientApp::name)
                .orElse(m.apps_unknown_app());
    }

    private String patientName(UUID patientId) {
        return directory.patient(patientId).map(PatientView::displayName).orElse("");
    }

    private String why(String reason, AccountMessages m) {
        return switch (reason) {
            case AppAuthorizationService.PASSWORD_CHANGED -> m.apps_why_password_changed();
            case AppAuthorizationService.PASSWORD_RESET -> m.apps_why_password_reset();
            case AppAuthorizationService.LOGIN_DEACTIVATED -> m.apps_why_login_deactivated();
            case AppAuthorizationService.ENDED_BY_ADMIN -> m.apps_why_ended_by_admin();
            case AppAuthorizationService.CODE_REUSED -> m.apps_why_code_reused();
            case AppAuthorizationService.REFRESH_REUSED -> m.apps_why_refresh_reused();
            case AppAuthorizationService.REVOKED_BY_APP -> m.apps_why_revoked_by_app();
            case AppAuthorizationService.GRANT_ENDED -> m.apps_why_grant_ended();
            case AppAuthorizationService.EXPIRED ->
                    m.apps_why_expired(TokenService.userTokenLifetime(security).toMinutes());
            default -> m.apps_why_disconnected();
        };
    }
}
