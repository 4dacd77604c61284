package dev.bluepost.testing;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * A practice's backend system in tests (SMART Backend Services, ADR 0048): its own key pair,
 * registered by the practice's admin on /admin/integrations, signing client assertions for the
 * token endpoint. The assertion's claims can be bent for the bad-input cases.
 */
public final class PracticeSystem {

    public static final String JWT_BEARER =
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public final PublicJsonWebKey key;
    public String clientId;

    private PracticeSystem(PublicJsonWebKey key) {
        this.key = key;
    }

    /** A new RSA key pair of {@code bits} with a kid of its own (not yet registered). */
    public static PracticeSystem rsa(int bits) {
        try {
            PublicJsonWebKey key = RsaJwkGenerator.generateJwk(bits);
            key.setKeyId("rsa-" + UUID.randomUUID());
            return new PracticeSystem(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new EC P-384 key pair (ES384, what SMART requires besides RS384). */
    public static PracticeSystem ec384() {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P384);
            key.setKeyId("ec-" + UUID.randomUUID());
            return new PracticeSystem(key);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public keys as an admin pastes them. */
    public String publicJwks() {
        return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    /** The whole key, private part included (what must be refused). */
    public String privateJwks() {
        return new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
    }

    /** Registers this system for the admin's practice through the page; remembers the client id it got. */
    public PracticeSystem registeredBy(WebSession admin, String name) {
        admin.get("/admin/integrations/new").then().statusCode(200);
        admin.submit("/admin/integrations", Map.of("name", name, "jwks", publicJwks()))
                .then()
                .statusCode(303);
        clientId =
                Sql.single(
                        "select client_id from backend_client where name = ? order by created_at desc limit 1",
                        name);
        return this;
    }

    /** The token endpoint's address as the server sees this test's requests. */
    public static String tokenUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port + "/oauth/token";
    }

    /** A valid assertion's claims: iss = sub = the client, aud = the token URL, four minutes, a fresh jti. */
    public JwtClaims claims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(clientId);
        claims.setSubject(clientId);
        claims.setAudience(tokenUrl());
        claims.setExpirationTime(
                NumericDate.fromSeconds(Instant.now().plusSeconds(240).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        return claims;
    }

    /** The claims signed with this system's key (RS384 or ES384), its kid in the header. */
    public String sign(JwtClaims claims) {
        return sign(claims, key, key.getKeyId());
    }

    public static String sign(JwtClaims claims, PublicJsonWebKey with, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(with.getPrivateKey());
        jws.setKeyIdHeaderValue(kid);
        jws.setAlgorithmHeaderValue(
                with.getKeyType().equals("EC")
                        ? AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384
                        : AlgorithmIdentifiers.RSA_USING_SHA384);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POST /oauth/token with this assertion and scope. */
    public static Response requestToken(String assertion, String scope) {
        return given().formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", JWT_BEARER)
                .formParam("client_assertion", assertion)
                .formParam("scope", scope)
                .post("/oauth/token");
    }

    /** A token for {@code scope}, from a fresh valid assertion. */
    public String token(String scope) {
        return requestToken(sign(claims()), scope)
                .then()
                .statusCode(200)
                .extract()
                .path("access_token");
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token)
                .contentType(Api.FHIR_JSON)
                .accept(Api.FHIR_JSON);
    }
}
