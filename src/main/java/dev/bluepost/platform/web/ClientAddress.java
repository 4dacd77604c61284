package dev.bluepost.platform.web;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * The network address of the client of the HTTP request being served, for the audit log. Behind
 * a trusted reverse proxy, enable {@code quarkus.http.proxy.proxy-address-forwarding} so that this
 * is the client's address rather than the proxy's.
 */
public final class ClientAddress {

    private ClientAddress() {}

    /** The client's IP address, or empty outside an HTTP request (Kafka listeners, commands, jobs). */
    public static Optional<String> current() {
        ArcContainer container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return Optional.empty();
        }
        try (InstanceHandle<CurrentVertxRequest> request =
                container.instance(CurrentVertxRequest.class)) {
            RoutingContext context = request.isAvailable() ? request.get().getCurrent() : null;
            SocketAddress address = context == null ? null : context.request().remoteAddress();
            return address == null ? Optional.empty() : Optional.ofNullable(address.hostAddress());
        }
    }
}
