package dev.bluepost.web;

import dev.bluepost.identity.SessionAuthenticationMechanism;
import dev.bluepost.platform.errors.ErrorInfo;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.errors.ErrorRenderer;
import dev.bluepost.platform.i18n.Language;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.arc.ManagedContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.BlockingOperationControl;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Failures of pages: a friendly page in the reader's language, in plain words, with the request id (no stack
 * traces, class names or ids); an expired or missing login sends the
 * browser to the sign-in page and back afterwards.
 */
@ApplicationScoped
public class PageErrorRenderer implements ErrorRenderer {

    @jakarta.inject.Inject io.quarkus.vertx.http.runtime.CurrentVertxRequest currentRequest;

    /** A type and id ("Thread/…") or a bare UUID: never shown on a page. */
    private static final Pattern ID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @jakarta.inject.Inject LanguageChoice languages;

    @CheckedTemplate(basePath = "errors")
    static class Templates {
        static native TemplateInstance error(
                String lang,
                String title,
                String text,
                String detail,
                String detailLang,
                String reference,
                String back,
                String emergency);
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(HttpServerRequest request) {
        String path = request.path();
        return !path.startsWith("/fhir")
                && !path.startsWith("/oauth/token")
                && !path.startsWith("/api")
                && !path.startsWith("/q/");
    }

    @Override
    public Response render(ErrorInfo error, HttpServerRequest request) {
        if (error.kind() == ErrorKind.UNAUTHENTICATED) {
            String next = "GET".equals(request.method().name()) ? request.uri() : "/";
            var routing = currentRequest.getCurrent();
            String timedOut =
                    routing != null
                                    && Boolean.TRUE.equals(
                                            routing.get(SessionAuthenticationMechanism.TIMED_OUT))
                            ? "&timedOut=1"
                            : "";
            return Response.seeOther(
                            java.net.URI.create(
                                    "/login?next="
                                            + URLEncoder.encode(next, StandardCharsets.UTF_8)
                                            + timedOut))
                    .cookie(
                            new NewCookie.Builder(SessionAuthenticationMechanism.COOKIE)
                                    .value("")
                                    .path("/")
                                    .maxAge(0)
                                    .httpOnly(true)
                                    .build())
                    .build();
        }
        String html = page(error, request);
        Response.ResponseBuilder response =
                Response.status(error.status())
                        .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                        .entity(html)
                        .header("Cache-Control", "no-store");
        if (error.retryAfterSeconds() != null) {
            response.header("Retry-After", error.retryAfterSeconds());
        }
        return response.build();
    }

    /** The friendly page in the reader's language: what happened in plain words, the detail when it names no ids. */
    private String page(ErrorInfo error, HttpServerRequest request) {
        Language language = language(error, request);
        ErrorPageMessages m = language.messages(ErrorPageMessages.class);
        String[] words = words(error.kind(), m);
        String given = error.detail(language);
        String detail =
                given == null
                                || given.isBlank()
                                || ID.matcher(given).find()
                                || given.equals(error.kind().title())
                        ? null
                        : given;
        // a detail not said from a bundle is English: marked so, for a screen reader on a Spanish
        // page
        String detailLang =
                detail != null && error.detailIn() == null && language != Language.ENGLISH
                        ? Language.ENGLISH.tag()
                        : null;
        Supplier<String> render =
                () ->
                        Templates.error(
                                        language.tag(),
                                        words[0],
                                        words[1],
                                        detail,
                                        detailLang,
                                        m.reference(error.status(), reference(error.requestId())),
                                        m.back(),
                                        m.footer_emergency())
                                .render();
        try {
            return render.get();
        } catch (RuntimeException e) {
            // the page's language could not be looked up (e.g. the database is down): render
            // without the request's
            // template initializer, which would ask again
            ManagedContext context = Arc.container().requestContext();
            InjectableContext.ContextState state = context.getStateIfActive();
            if (state == null) {
                throw e;
            }
            context.deactivate();
            try {
                return render.get();
            } finally {
                context.activate(state);
            }
        }
    }

    /**
     * The reader's language ({@link LanguageChoice}); for a failure of the server itself (the database may be what
     * failed), only what the request says: the chooser's cookie, then the browser's languages.
     */
    private Language language(ErrorInfo error, HttpServerRequest request) {
        boolean serverFailure = error.status() >= 500;
        if (!serverFailure
                && Arc.container().requestContext().isActive()
                && BlockingOperationControl.isBlockingAllowed()) {
            try {
                return languages.language();
            } catch (RuntimeException unavailable) {
                // fall through to what the request itself says
            }
        }
        var cookie = request.getCookie(LanguageChoice.COOKIE);
        Optional<Language> chosen =
                cookie == null ? Optional.empty() : Language.fromTag(cookie.getValue());
        return chosen.or(() -> LanguageChoice.fromBrowser(request.getHeader("Accept-Language")))
                .orElse(Language.ENGLISH);
    }

    /**
     * What a person reads out to support: the request id's first eight characters, short enough to say on the
     * phone and no UUID on a page; support finds the request's log lines by {@code requestId=<reference>}.
     */
    static String reference(String requestId) {
        return requestId == null ? "" : requestId.substring(0, Math.min(8, requestId.length()));
    }

    private static String[] words(ErrorKind kind, ErrorPageMessages m) {
        return switch (kind) {
            case FORBIDDEN -> new String[] {m.title_forbidden(), m.text_forbidden()};
            case NOT_FOUND -> new String[] {m.title_not_found(), m.text_not_found()};
            case CONFLICT, PRECONDITION_FAILED ->
                    new String[] {m.title_conflict(), m.text_conflict()};
            case PAYLOAD_TOO_LARGE -> new String[] {m.title_too_large(), m.text_too_large()};
            case BUSINESS_RULE -> new String[] {m.title_business_rule(), m.text_business_rule()};
            case TOO_MANY_REQUESTS -> new String[] {m.title_too_many(), m.text_too_many()};
            case INTERNAL -> new String[] {m.title_internal(), m.text_internal()};
            case UNAVAILABLE -> new String[] {m.title_unavailable(), m.text_unavailable()};
            default -> new String[] {m.title_malformed(), m.text_malformed()};
        };
    }
}
