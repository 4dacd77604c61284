package dev.bluepost.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.bluepost.identity.IdentityService;
import dev.bluepost.platform.security.Role;
import dev.bluepost.testing.PracticeFixture;
import dev.bluepost.testing.WebSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Web hardening, proved from the application itself: every form endpoint (found in the compiled
 * classes) refuses a post without the CSRF token even from a person allowed to use it; every form
 * template carries the token and no inline script; pages send the strict security headers and
 * no-store; the cookies are HttpOnly with SameSite.
 */
@QuarkusTest
class WebHardeningIT {

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);

    @Inject IdentityService identities;

    @Test
    void everyFormEndpointRefusesAPostWithoutTheCsrfToken() {
        PracticeFixture practice = PracticeFixture.create(identities);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        identities.createUser(
                new IdentityService.NewUser(
                        "adm-" + suffix,
                        "an-admin-passphrase",
                        "Admin",
                        Set.of(Role.ADMIN),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        identities.createUser(
                new IdentityService.NewUser(
                        "cmp-" + suffix,
                        PracticeFixture.PASSWORD,
                        "Compliance",
                        Set.of(Role.COMPLIANCE),
                        PracticeFixture.id(practice.practice),
                        null,
                        null,
                        Set.of()));
        Map<Role, WebSession> sessions = new EnumMap<>(Role.class);
        sessions.put(
                Role.PATIENT, WebSession.signIn(practice.patientLogin, PracticeFixture.PASSWORD));
        sessions.put(
                Role.FRONT_DESK,
                WebSession.signIn(practice.frontDeskLogin, PracticeFixture.PASSWORD));
        sessions.put(
                Role.PROVIDER, WebSession.signIn(practice.providerLogin, PracticeFixture.PASSWORD));
        sessions.put(Role.ADMIN, WebSession.signIn("adm-" + suffix, "an-admin-passphrase"));
        sessions.put(Role.COMPLIANCE, WebSession.signIn("cmp-" + suffix, PracticeFixture.PASSWORD));

        List<String> checked = new ArrayList<>();
        for (JavaClass type :
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.bluepost")) {
            Class<?> resource = type.reflect();
            Path classPath = resource.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                Consumes consumes =
                        method.getAnnotation(Consumes.class) != null
                                ? method.getAnnotation(Consumes.class)
                                : resource.getAnnotation(Consumes.class);
                if (method.getAnnotation(POST.class) == null
                        || consumes == null
                        || Arrays.stream(consumes.value())
                                .noneMatch(
                                        c ->
                                                c.startsWith(MediaType.APPLICATION_FORM_URLENCODED)
                                                        || c.startsWith(
                                                                MediaType.MULTIPART_FORM_DATA))) {
                    continue;
                }
                String path =
                        join(
                                classPath.value(),
                                method.getAnnotation(Path.class) == null
                                        ? ""
                                        : method.getAnnotation(Path.class).value());
                if (path.startsWith("/oauth/token")
                        || path.startsWith("/oauth/revoke")
                        || path.startsWith("/fhir")) {
                    continue; // client credentials, codes and tokens, never cookies
                    // (docs/security.md)
                }
                WebSession caller = callerFor(method, resource, sessions);
                Response answer =
                        caller.submitWithoutToken(
                                path,
                                Map.of(
                                        "text",
                                        "x",
                                        "code",
                                        "123456",
                                        "username",
                                        "someone",
                                        "password",
                                        "some-password-1"));
                if (caller == null
                        || answer.statusCode() == 303 && !hasSession(method, resource, sessions)) {
                    // no test login of the roles allowed (proxies): refused before the form is even
                    // read
                    assertThat(answer.header("Location")).as("POST %s", path).contains("/login");
                    checked.add(path);
                    continue;
                }
                assertThat(answer.statusCode())
                        .as("POST %s without a CSRF token", path)
                        .isEqualTo(403);
                assertThat(answer.asString())
                        .as("POST %s", path)
                        .contains("did not come from this site");
                checked.add(path);
            }
        }
        assertThat(checked)
                .contains(
                        "/login",
                        "/logout",
                        "/login/mfa",
                        "/login/mfa/enrol",
                        "/account/password",
                        "/admin/logins",
                        "/account/security/remove-mfa")
                .hasSizeGreaterThan(15);
    }

    @Test
    void everyPostFormInTheTemplatesCarriesTheTokenAndNoInlineScript() throws IOException {
        List<java.nio.file.Path> templates;
        try (Stream<java.nio.file.Path> files =
                Files.walk(Paths.get("src/main/resources/templates"))) {
            templates = files.filter(p -> p.toString().endsWith(".html")).toList();
        }
        int forms = 0;
        for (java.nio.file.Path template : templates) {
            String html = Files.readString(template);
            assertThat(html)
                    .as(template.toString())
                    .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+\\s*=")
                    .doesNotContain("javascript:");
            Matcher form = FORM.matcher(html);
            while (form.find()) {
                if (!form.group().toLowerCase().contains("method=\"post\"")) {
                    continue;
                }
                forms++;
                int end = html.indexOf("</form>", form.end());
                assertThat(html.substring(form.end(), end))
                        .as("form in %s", template)
                        .contains("name=\"_csrf\"");
            }
        }
        assertThat(forms).isGreaterThan(15);
    }

    @Test
    void pagesSendStrictHeadersAndCookiesAreHttpOnlyAndSameSite() {
        PracticeFixture practice = PracticeFixture.create(identities);
        WebSession fresh = new WebSession();
        Response login = fresh.get("/login");
        Cookie csrf = login.getDetailedCookie("bp_csrf");
        assertThat(csrf.isHttpOnly()).isTrue();
        assertThat(csrf.getSameSite()).isEqualTo("Strict");
        Response signIn =
                fresh.submit(
                        "/login",
                        Map.of(
                                "username",
                                practice.patientLogin,
                                "password",
                                PracticeFixture.PASSWORD));
        Cookie session = signIn.getDetailedCookie("bp_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getPath()).isEqualTo("/");

        Response page = fresh.get("/patient");
        page.then()
                .statusCode(200)
                .header("Cache-Control", containsString("no-store"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Permissions-Policy", containsString("camera=()"));
        String csp = page.header("Content-Security-Policy");
        assertThat(csp)
                .contains(
                        "default-src 'self'",
                        "script-src 'self'",
                        "frame-ancestors 'none'",
                        "object-src 'none'",
                        "base-uri 'none'",
                        "form-action 'self'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.asString()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    }

    private static WebSession callerFor(
            Method method, Class<?> resource, Map<Role, WebSession> sessions) {
        RolesAllowed roles =
                method.getAnnotation(RolesAllowed.class) != null
                        ? method.getAnnotation(RolesAllowed.class)
                        : method.getAnnotation(PermitAll.class) != null
                                ? null
                                : resource.getAnnotation(RolesAllowed.class);
        if (roles != null) {
            for (String role : roles.value()) {
                WebSession session = sessions.get(Role.valueOf(role));
                if (session != null) {
                    session.get("/");
                    return session;
                }
            }
        }
        WebSession anonymous = new WebSession();
        anonymous.get("/login");
        return anonymous;
    }

    private static boolean hasSession(
            Method method, Class<?> resource, Map<Role, WebSession> sessions) {
        RolesAllowed roles =
                method.getAnnotation(RolesAllowed.class) != null
                        ? method.getAnnotation(RolesAllowed.class)
                        : method.getAnnotation(PermitAll.class) != null
                                ? null
                                : resource.getAnnotation(RolesAllowed.class);
        return roles == null
                || Arrays.stream(roles.value())
                        .anyMatch(r -> sessions.containsKey(Role.valueOf(r)));
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        path =
                path.length() > 1 && path.endsWith("/")
                        ? path.substring(0, path.length() - 1)
                        : path;
        return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }
}
