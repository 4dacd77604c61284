package dev.bluepost.platform.web;

import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Makes sure the request id is in the log context on the thread that runs the endpoint. */
public class RequestIdRestFilter {

    @ServerRequestFilter(preMatching = true, priority = 1)
    public void putInLogContext(RoutingContext context) {
        Object id = context.get(RequestIds.MDC_KEY);
        if (id != null) {
            MDC.put(RequestIds.MDC_KEY, id.toString());
        }
    }
}
