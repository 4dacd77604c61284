package dev.bluepost.crypto;

import dev.bluepost.platform.DataDirectory;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (KEKs): the active one, which wraps every new data key, and retired ones,
 * which only unwrap. KEKs come from configuration; demo, dev and test generate a development KEK
 * into the data directory on first start (owner-only file, never committed). Production refuses
 * to start without a configured KEK.
 */
@Startup
@ApplicationScoped
public class KeyRing {

    private final Map<String, SecretKey> keks = new HashMap<>();
    private final String activeId;

    public KeyRing(CryptoConfig config, DataDirectory dataDirectory) {
        this.activeId = config.kekId();
        config.retiredKeks().forEach((id, material) -> keks.put(id, decode(id, material)));
        String active =
                config.kek()
                        .filter(k -> !k.isBlank())
                        .orElseGet(() -> developmentKek(config, dataDirectory));
        keks.put(activeId, decode(activeId, active));
    }

    public String activeKekId() {
        return activeId;
    }

    /** Whether a KEK with this id (active or retired) is configured, so that data keys it wrapped can be unwrapped. */
    public boolean has(String kekId) {
        return keks.containsKey(kekId);
    }

    SecretKey active() {
        return keks.get(activeId);
    }

    SecretKey byId(String kekId) {
        SecretKey kek = keks.get(kekId);
        if (kek == null) {
            throw new IllegalStateException(
                    "no key-encryption key with id " + kekId + " is configured");
        }
        return kek;
    }

    private static SecretKey decode(String id, String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key-encryption key " + id + " is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(
                    "key-encryption key "
                            + id
                            + " must be 32 bytes (AES-256), not "
                            + bytes.length);
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static String developmentKek(CryptoConfig config, DataDirectory dataDirectory) {
        if (!config.generateDevKeys()) {
            throw new IllegalStateException(
                    "no key-encryption key configured: set BLUEPOST_KEK "
                            + "(base64 of 32 random bytes, e.g. `openssl rand -base64 32`) and BLUEPOST_KEK_ID");
        }
        Path file = dataDirectory.folder("keys").resolve(config.kekId() + ".kek");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).trim();
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String encoded = Base64.getEncoder().encodeToString(key);
            Files.writeString(file, encoded + "\n", StandardCharsets.US_ASCII);
            DataDirectory.restrictToOwner(file, "rw-------");
            Log.infof(
                    "generated a development key-encryption key id=%s in %s",
                    config.kekId(), file.getParent());
            return encoded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the development KEK " + file, e);
        }
    }
}
