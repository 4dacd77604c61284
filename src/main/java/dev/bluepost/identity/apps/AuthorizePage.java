package dev.bluepost.identity.apps;

import dev.bluepost.directory.DirectoryMessages;
import dev.bluepost.directory.DirectoryService;
import dev.bluepost.directory.DirectoryViews.PatientView;
import dev.bluepost.directory.DirectoryViews.ProxyView;
import dev.bluepost.directory.Relationships;
import dev.bluepost.identity.AccountMessages;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.identity.ProxyPage;
import dev.bluepost.platform.Ids;
import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.CurrentActor;
import dev.bluepost.platform.security.Role;
import dev.bluepost.platform.security.SmartScopes;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The authorization endpoint of the authorization-code grant (RFC 6749 §4.1, PKCE S256 only): a
 * patient or proxy, signed in with the ordinary form login, lets a registered patient app read and
 * send their messages. The consent form is CSRF-protected like every form; approving sends the
 * browser back to the app's registered redirect URI with a one-time code, denying with
 * {@code error=access_denied}. See ADR 0012.
 */
@Path("/oauth/authorize")
public class AuthorizePage {

    /** The consent form's value for "for 13 months" (a lasting grant, with refresh tokens). */
    static final String LASTING = "13-months";

    private static final String CSP_KEY = "quarkus.http.header.\"Content-Security-Policy\".value";

    /** A patient a proxy may choose, with the proxy's relationship to them in words (null when none is recorded). */
    public record PatientChoice(
            UUID relatedPersonId, String patientName, String relationship, boolean selected) {}

    /** One thing the app asked to do, in words, with the name of its checkbox and whether it is ticked. */
    public record ScopeChoice(String field, String words, boolean checked) {}

    /**
     * What the consent page shows, with the request's parameters that the form sends back: each
     * requested scope as a checkbox ({@code scopes}), and, when the app asked for lasting access
     * ({@code offline_access}), the choice of "just this once" or "for 13 months".
     */
    public record Consent(
            String appName,
            String appHost,
            boolean proxy,
            String patientName,
            List<PatientChoice> choices,
            List<ScopeChoice> scopes,
            boolean asksLasting,
            String clientId,
            String redirectUri,
            String scope,
            String state,
            String codeChallenge,
            boolean lasting,
            String error,
            String errorField) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance consent(Consent consent);
    }

    @Inject ClientApps apps;

    @Inject CurrentActor currentActor;

    @Inject IdentityService identities;

    @Inject DirectoryService directory;

    @Inject AppAuthorizationService authorizations;

    @Inject UriInfo uriInfo;

    @Inject RoutingContext routing;

    @Inject ReaderLanguage reader;

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    public Response ask() {
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(uriInfo.getQueryParameters()::get, apps);
        } catch (AuthorizationRequest.Invalid e) {
            return Response.seeOther(e.location()).build();
        }
        Optional<Actor> signedIn = currentActor.find();
        if (signedIn.isEmpty()) {
            return signIn(request);
        }
        Actor actor = patientSide(signedIn.get());
        return page(request, consent(request, actor, null, false, null, null), Response.Status.OK);
    }

    /**
     * The consent page (again, with {@code consent.error} beside its field, when an answer was
     * refused), with a Content-Security-Policy that lets its form go to the app.
     */
    private Response page(AuthorizationRequest request, Consent consent, Response.Status status) {
        String html = Templates.consent(consent).render();
        Response.ResponseBuilder response =
                Response.status(status)
                        .entity(html)
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .header("Cache-Control", "no-store");
        // the form's answer redirects to the app, and browsers check form-action against that
        // redirect
        // too: this page's policy (replacing, not adding to, the one set for every response) allows
        // it
        ConfigProvider.getConfig()
                .getOptionalValue(CSP_KEY, String.class)
                .ifPresent(
                        csp ->
                                routing.response()
                                        .headers()
                                        .set(
                                                "Content-Security-Policy",
                                                csp.replace(
                                                        "form-action 'self'",
                                                        "form-action 'self' "
                                                                + ClientApps.origin(
                                                                        request.redirectUri()))));
        return response.build();
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response answer(MultivaluedMap<String, String> form) {
        AuthorizationRequest request;
        try {
            request = AuthorizationRequest.parse(form::get, apps);
        } catch (AuthorizationRequest.Invalid e) {
            return Response.seeOther(e.location()).build();
        }
        Optional<Actor> signedIn = currentActor.find();
        if (signedIn.isEmpty()) {
            return signIn(request);
        }
        Actor actor = patientSide(signedIn.get());
        String decision = form.getFirst("decision");
        if ("deny".equals(decision)) {
            return Response.seeOther(request.denied()).header("Cache-Control", "no-store").build();
        }
        if (!"approve".equals(decision)) {
            throw BluepostException.said(
                            ErrorKind.MALFORMED,
                            AccountMessages.class,
                            AccountMessages::error_consent_choose)
                    .about("decision");
        }
        List<PatientAppScopes.Piece> pieces =
                request.scope().pieces().stream()
                        .filter(piece -> form.getFirst(piece.field()) != null)
                        .toList();
        String lifetime = form.getFirst("lifetime");
        boolean lasting = LASTING.equals(lifetime);
        String granted = request.scope().grant(pieces, lasting);
        // refused answers come back to the page, the person's choices kept, the reason beside its
        // field
        AccountMessages m = reader.messages(AccountMessages.class);
        if (granted.isEmpty()) {
            return page(
                    request,
                    consent(request, actor, pieces, lasting, m.error_consent_no_scope(), "scopes"),
                    Response.Status.BAD_REQUEST);
        }
        if (request.scope().offline() && !"once".equals(lifetime) && !lasting) {
            return page(
                    request,
                    consent(request, actor, pieces, false, m.error_consent_lifetime(), "lifetime"),
                    Response.Status.BAD_REQUEST);
        }
        String code;
        if (actor.has(Role.PROXY)) {
            UUID chosen =
                    Ids.parse(Optional.ofNullable(form.getFirst("relatedPerson")).orElse(""))
                            .orElse(null);
            ProxyView authorization =
                    identities.activeAuthorizations(actor.userId()).stream()
                            .filter(a -> a.id().equals(chosen))
                            .findFirst()
                            .orElseThrow(ProxyPage::notAuthorized);
            code =
                    authorizations.approve(
                            request.app().id(),
                            actor.userId(),
                            Role.PROXY,
                            authorization.patientId(),
                            authorization.id(),
                            granted,
                            request.redirectUri(),
                            request.codeChallenge());
        } else {
            code =
                    authorizations.approve(
                            request.app().id(),
                            actor.userId(),
                            Role.PATIENT,
                            actor.patientId(),
                            null,
                            granted,
                            request.redirectUri(),
                            request.codeChallenge());
        }
        return Response.seeOther(request.approved(code))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** Patients and proxies only: staff and others have no messages an app could act on. */
    private static Actor patientSide(Actor actor) {
        boolean patient = actor.has(Role.PATIENT) && actor.patientId() != null;
        if (!patient && !actor.has(Role.PROXY)) {
            throw BluepostException.said(
                    ErrorKind.FORBIDDEN,
                    AccountMessages.class,
                    AccountMessages::error_consent_patients_only);
        }
        return actor;
    }

    private static Response signIn(AuthorizationRequest request) {
        String next = "/oauth/authorize?" + request.toQuery();
        return Response.seeOther(
                        URI.create(
                                "/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)))
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The page's content; {@code ticked} null: every requested piece ticked (the page as first shown). */
    private Consent consent(
            AuthorizationRequest request,
            Actor actor,
            List<PatientAppScopes.Piece> ticked,
            boolean lasting,
            String error,
            String errorField) {
        boolean proxy = actor.has(Role.PROXY);
        List<PatientChoice> choices = new ArrayList<>();
        String patientName = null;
        if (proxy) {
            DirectoryMessages words = reader.messages(DirectoryMessages.class);
            for (ProxyView a : identities.activeAuthorizations(actor.userId())) {
                choices.add(
                        new PatientChoice(
                                a.id(),
                                patientName(a.patientId()),
                                Relationships.words(a.relationship(), words),
                                a.id().equals(actor.relatedPersonId())));
            }
            if (choices.stream().noneMatch(PatientChoice::selected) && !choices.isEmpty()) {
                PatientChoice first = choices.get(0);
                choices.set(
                        0,
                        new PatientChoice(
                                first.relatedPersonId(),
                                first.patientName(),
                                first.relationship(),
                                true));
            }
        } else {
            patientName = patientName(actor.patientId());
        }
        AccountMessages m = reader.messages(AccountMessages.class);
        List<ScopeChoice> scopes =
                request.scope().pieces().stream()
                        .map(
                                piece ->
                                        new ScopeChoice(
                                                piece.field(),
                                                words(piece, proxy, m),
                                                ticked == null || ticked.contains(piece)))
                        .toList();
        return new Consent(
                request.app().name(),
                URI.create(request.redirectUri()).getHost(),
                proxy,
                patientName,
                choices,
                scopes,
                request.scope().offline(),
                request.app().id(),
                request.redirectUri(),
                request.requestedScope(),
                request.state(),
                request.codeChallenge(),
                lasting,
                error,
                errorField);
    }

    /** The grant in plain words, one line per piece it holds. */
    static List<String> abilities(SmartScopes scope, boolean proxy, AccountMessages m) {
        return PatientAppScopes.requested(scope.toString()).pieces().stream()
                .map(piece -> words(piece, proxy, m))
                .toList();
    }

    /** One piece of a grant in plain words, for the person (a proxy reads about "the patient"). */
    static String words(PatientAppScopes.Piece piece, boolean proxy, AccountMessages m) {
        return switch (piece) {
            case MESSAGES_READ -> proxy ? m.ability_read_patient() : m.ability_read_own();
            case MESSAGES_SEND -> proxy ? m.ability_send_patient() : m.ability_send_own();
            case VISITS -> proxy ? m.ability_visits_patient() : m.ability_visits_own();
            case DOCUMENTS -> proxy ? m.ability_documents_patient() : m.ability_documents_own();
            case RECORD -> proxy ? m.ability_record_patient() : m.ability_record_own();
        };
    }

    private String patientName(UUID patientId) {
        return directory.patient(patientId).map(PatientView::displayName).orElse("Patient");
    }
}
