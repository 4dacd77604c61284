package dev.bluepost.demo;

import dev.bluepost.crypto.SigningKeys;
import dev.bluepost.fhir.FhirOperations;
import dev.bluepost.identity.apps.BackendClientService;
import dev.bluepost.platform.DataDirectory;
import dev.bluepost.platform.security.Actor;
import dev.bluepost.platform.security.Role;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * The demo practice's backend client, "Demo EHR" (ADR 0048): registered as its admin would, with the
 * public half of an RSA key kept in the data directory ({@code keys/demo-ehr.pem}, made on first
 * start); its client id is written beside it ({@code keys/demo-ehr.client-id}), so that the
 * README's openssl + curl steps can sign an assertion and get a token that reads only the demo
 * practice's data. Runs after the demo practice is loaded.
 */
@ApplicationScoped
public class DemoBackendClient {

    static final String NAME = "Demo EHR";
    static final String KEY_ID = "demo-ehr-1";

    private final DemoConfig config;
    private final FhirOperations fhir;
    private final BackendClientService clients;
    private final DataDirectory dataDirectory;

    public DemoBackendClient(
            DemoConfig config,
            FhirOperations fhir,
            BackendClientService clients,
            DataDirectory dataDirectory) {
        this.config = config;
        this.fhir = fhir;
        this.clients = clients;
        this.dataDirectory = dataDirectory;
    }

    void onStart(@Observes @Priority(5100) StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        UUID practice =
                QuarkusTransaction.requiringNew()
                        .call(
                                () ->
                                        fhir.findOne(
                                                        "Organization",
                                                        "identifier="
                                                                + DemoPracticeLoader.DEMO_SYSTEM
                                                                + "|practice",
                                                        Actor.system("demo-loader"))
                                                .map(
                                                        r ->
                                                                UUID.fromString(
                                                                        r.getIdElement()
                                                                                .getIdPart()))
                                                .orElse(null));
        if (practice == null) {
            return;
        }
        Path keyFile = dataDirectory.folder("keys").resolve("demo-ehr.pem");
        Path idFile = keyFile.resolveSibling("demo-ehr.client-id");
        KeyPair keys = SigningKeys.loadOrGenerate(keyFile);
        String clientId =
                clients.clientsOf(practice).stream()
                        .filter(c -> c.name().equals(NAME))
                        .findFirst()
                        .map(BackendClientService.ClientView::clientId)
                        .orElseGet(
                                () -> {
                                    RsaJsonWebKey jwk =
                                            new RsaJsonWebKey((RSAPublicKey) keys.getPublic());
                                    jwk.setKeyId(KEY_ID);
                                    Actor admin =
                                            new Actor(
                                                    null,
                                                    "demo-loader",
                                                    Set.of(Role.ADMIN),
                                                    practice,
                                                    null,
                                                    null,
                                                    null);
                                    return clients.register(
                                                    admin,
                                                    NAME,
                                                    new JsonWebKeySet(jwk)
                                                            .toJson(
                                                                    JsonWebKey.OutputControlLevel
                                                                            .PUBLIC_ONLY))
                                            .clientId();
                                });
        try {
            Files.writeString(idFile, clientId + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + idFile, e);
        }
        Log.infof("demo backend client ready client=%s key=%s", clientId, keyFile);
    }
}
