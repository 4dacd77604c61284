package dev.bluepost.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "bluepost.crypto")
public interface CryptoConfig {

    /** The active key-encryption key, base64 of 32 random bytes. Required in production. */
    Optional<String> kek();

    /** Id stored with every data key the active KEK wraps. */
    @WithDefault("kek-1")
    String kekId();

    /** Earlier KEKs by id, kept so that data keys wrapped before a rotation can still be unwrapped. */
    Map<String, String> retiredKeks();

    /** Demo, dev and test only: generate a KEK into the data directory when none is configured. */
    @WithDefault("false")
    boolean generateDevKeys();
}
