package dev.bluepost.web;

import dev.bluepost.identity.SessionAuthenticationMechanism;
import dev.bluepost.platform.errors.ErrorInfo;
import dev.bluepost.platform.errors.ErrorKind;
import dev.bluepost.platform.errors.ErrorRenderer;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Failures of pages: a friendly page with the request id; an expired or missing login sends the
 * browser to the sign-in page and back afterwards.
 */
@ApplicationScoped
public class PageErrorRenderer implements ErrorRenderer {

    @jakarta.inject.Inject
    io.quarkus.vertx.http.runtime.CurrentVertxRequest currentRequest;

    @CheckedTemplate(basePath = "errors")
    static class Templates {
        static native TemplateInstance error(int status, String title, String detail, String requestId);
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(HttpServerRequest request) {
        String path = request.path();
        return !path.startsWith("/fhir") && !path.startsWith("/oauth/token") && !path.startsWith("/api") && !path.startsWith("/q/");
    }

    @Override
    public Response render(ErrorInfo error, HttpServerRequest request) {
        if (error.kind() == ErrorKind.UNAUTHENTICATED) {
            String next = "GET".equals(request.method().name()) ? request.uri() : "/";
            var routing = currentRequest.getCurrent();
            String timedOut = routing != null && Boolean.TRUE.equals(routing.get(SessionAuthenticationMechanism.TIMED_OUT))
                    ? "&timedOut=1" : "";
            return Response.seeOther(java.net.URI.create("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) + timedOut))
                    .cookie(new NewCookie.Builder(SessionAuthenticationMechanism.COOKIE).value("").path("/").maxAge(0)
                            .httpOnly(true).build())
                    .build();
        }
        String html = Templates.error(error.status(), error.kind().title(), error.detail(), error.requestId()).render();
        Response.ResponseBuilder response = Response.status(error.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(html).header("Cache-Control", "no-store");
        if (error.retryAfterSeconds() != null) {
            response.header("Retry-After", error.retryAfterSeconds());
        }
        return response.build();
    }
}
