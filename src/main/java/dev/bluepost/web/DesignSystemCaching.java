package dev.bluepost.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The design system's files under {@code /uswds/} (styles, scripts, fonts, icons) are the same for
 * everyone and carry no patient information: a phone keeps them for a day instead of downloading
 * half a megabyte with every page. Everything else stays {@code no-store} (application.properties).
 */
@ApplicationScoped
public class DesignSystemCaching {

    static final String PREFIX = "/uswds/";
    static final String CACHE_CONTROL = "public, max-age=86400";

    void cacheDesignSystem(@Observes Router router) {
        router.route(PREFIX + "*")
                .order(Integer.MIN_VALUE + 10)
                .handler(
                        context -> {
                            context.addHeadersEndHandler(
                                    v ->
                                            context.response()
                                                    .headers()
                                                    .set("Cache-Control", CACHE_CONTROL));
                            context.next();
                        });
    }
}
