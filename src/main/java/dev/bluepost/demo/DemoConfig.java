package dev.bluepost.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "bluepost.demo")
public interface DemoConfig {

    /** Loads the demo practice at start-up (the demo profile only). */
    @WithDefault("false")
    boolean enabled();

    /** The password of every demo login. */
    @WithDefault("bluepost-demo")
    String password();
}
