package dev.bluepost.identity.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.errors.BluepostException;
import dev.bluepost.platform.security.SmartScopes;
import java.util.EnumSet;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** What the "Connected systems" page accepts as a backend client's public keys, and how system scopes read (ADR 0048). */
class BackendClientKeysTest {

    private static String publicSet(PublicJsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private static PublicJsonWebKey rsa(int bits, String kid) throws Exception {
        PublicJsonWebKey key = RsaJwkGenerator.generateJwk(bits);
        key.setKeyId(kid);
        return key;
    }

    @Test
    void shouldAcceptRsa2048AndEcP256AndP384KeysAndStoreOnlyTheirPublicParts() throws Exception {
        PublicJsonWebKey p256 = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        p256.setKeyId("ec-256");
        PublicJsonWebKey p384 = EcJwkGenerator.generateJwk(EllipticCurves.P384);
        p384.setKeyId("ec-384");
        String stored = BackendClientService.checkKeys(publicSet(rsa(2048, "rsa"), p256, p384));
        assertThat(new JsonWebKeySet(stored).getJsonWebKeys())
                .extracting(JsonWebKey::getKeyId)
                .containsExactly("rsa", "ec-256", "ec-384");
        assertThat(stored).doesNotContain("\"d\"");
    }

    @Test
    void shouldRefuseShortRsaOtherCurvesSymmetricKeysPrivatePartsAndMissingOrRepeatedKids()
            throws Exception {
        PublicJsonWebKey p521 = EcJwkGenerator.generateJwk(EllipticCurves.P521);
        p521.setKeyId("ec-521");
        PublicJsonWebKey strong = rsa(2048, "a");
        assertRefused(publicSet(rsa(1024, "short")));
        assertRefused(publicSet(p521));
        assertRefused("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":\"c2VjcmV0\"}]}");
        assertRefused(
                new JsonWebKeySet(strong).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        assertRefused(publicSet(strong, rsa(2048, "a")));
        assertRefused(publicSet(strong).replace("\"kid\":\"a\",", ""));
        assertRefused("{\"keys\":[]}");
        assertRefused("[1, 2]");
        assertRefused(null);
    }

    private static void assertRefused(String jwks) {
        assertThatThrownBy(() -> BackendClientService.checkKeys(jwks))
                .isInstanceOf(BluepostException.class)
                .satisfies(e -> assertThat(((BluepostException) e).field()).contains("jwks"));
    }

    @Test
    void shouldReadSystemScopesInBothFormsAndKeepOnlyReadAndSearch() {
        SmartScopes read =
                SmartScopes.parseSystem("system/*.read patient/Communication.crs openid");
        assertThat(read.asSystemScopes()).isEqualTo("system/*.rs");
        assertThat(
                        SmartScopes.parseSystem("system/Patient.cruds system/Task.rs")
                                .keeping(
                                        EnumSet.of(
                                                SmartScopes.Permission.READ,
                                                SmartScopes.Permission.SEARCH))
                                .asSystemScopes())
                .isEqualTo("system/Patient.rs system/Task.rs");
        assertThat(
                        SmartScopes.parseSystem("system/Patient.c")
                                .keeping(
                                        EnumSet.of(
                                                SmartScopes.Permission.READ,
                                                SmartScopes.Permission.SEARCH))
                                .isEmpty())
                .isTrue();
        assertThat(SmartScopes.parseSystem(null).isEmpty()).isTrue();
    }
}
