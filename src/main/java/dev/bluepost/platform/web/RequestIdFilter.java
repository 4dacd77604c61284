package dev.bluepost.platform.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.MDC;

/** Gives every HTTP request its id before anything else runs (see {@link RequestIds}). */
@ApplicationScoped
public class RequestIdFilter {

    void register(@Observes Router router) {
        router.route()
                .order(Integer.MIN_VALUE + 10)
                .handler(
                        context -> {
                            String id =
                                    RequestIds.fromHeader(
                                            context.request().getHeader(RequestIds.HEADER));
                            context.put(RequestIds.MDC_KEY, id);
                            MDC.put(RequestIds.MDC_KEY, id);
                            context.response().putHeader(RequestIds.HEADER, id);
                            context.next();
                        });
    }
}
