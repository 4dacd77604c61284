package dev.bluepost.fhir;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * This server's own FHIR base URL, {@code <scheme>://<host>[:port]/fhir/}, as the request being
 * served reached it (Quarkus' forwarded-header support, {@code quarkus.http.proxy.*}, decides what a
 * proxied request's scheme and host are). {@code fullUrl} and {@code Location} values are built
 * from it, and it is the one base whose absolute references are read as references to this
 * server's resources ({@link FhirReferences}). Work outside a REST request (the EHR topic, the
 * background part of a bulk import) has none.
 */
@ApplicationScoped
public class FhirBase {

    /** The base of the REST request being served on this thread; empty outside one. */
    public Optional<String> current() {
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        ResteasyReactiveRequestContext request = CurrentRequestManager.get();
        return request == null
                ? Optional.empty()
                : Optional.of(of(request.getUriInfo().getBaseUri()));
    }

    /** The FHIR base under an application's base URI ({@code http://host:8080/} → {@code http://host:8080/fhir/}). */
    public static String of(URI applicationBase) {
        return applicationBase.toString().replaceAll("/$", "") + "/fhir/";
    }
}
