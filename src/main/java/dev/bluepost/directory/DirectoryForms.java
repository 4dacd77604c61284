package dev.bluepost.directory;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.i18n.ReaderLanguage;
import dev.bluepost.platform.web.Flash;
import dev.bluepost.platform.web.FormErrors;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the directory's admin pages share: a refusal on its field, the "Saved" confirmation, ids from paths. */
final class DirectoryForms {

    private DirectoryForms() {}

    /** The refusal on the form field it is about (or the form as a whole), in the reader's language. */
    static FormErrors errors(BluepostException refusal, ReaderLanguage reader) {
        String text = refusal.in(reader.language());
        return refusal.field()
                .map(f -> FormErrors.field(f, text))
                .orElseGet(() -> FormErrors.form(text));
    }

    /** 303 to {@code path} with the "Saved" confirmation for the page there. */
    static Response saved(String path) {
        boolean secure =
                ConfigProvider.getConfig()
                        .getOptionalValue("bluepost.security.secure-cookies", Boolean.class)
                        .orElse(true);
        return Response.seeOther(URI.create(path))
                .cookie(Flash.next("/admin", "saved", secure))
                .build();
    }

    /** Whether the previous action left the "Saved" confirmation (shown once). */
    static boolean takeSaved(RoutingContext routing) {
        return Flash.take(routing, "/admin").filter("saved"::equals).isPresent();
    }

    /** An id from the address, or a 404 in the reader's words. */
    static UUID id(String value) {
        return dev.bluepost.platform.Ids.parse(value)
                .orElseThrow(
                        () ->
                                DirectoryAdministration.refused(
                                        dev.bluepost.platform.errors.ErrorKind.NOT_FOUND,
                                        null,
                                        DirectoryMessages::error_not_found));
    }

    static Optional<String> present(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.trim());
    }
}
