package dev.bluepost.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;

/**
 * The RSA key pair that signs access tokens (RS256): read from a PEM (PKCS#8) file, or for
 * development generated once into the data directory (owner-only, never committed).
 */
public final class SigningKeys {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private SigningKeys() {}

    public static KeyPair load(Path pemFile) {
        try {
            String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
            int start = pem.indexOf(BEGIN);
            int end = pem.indexOf(END);
            if (start < 0 || end < 0) {
                throw new IllegalStateException(
                        pemFile + " is not a PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + BEGIN.length(), end));
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(privateKey instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException(
                        pemFile + " must hold an RSA private key with CRT parameters");
            }
            PublicKey publicKey =
                    rsa.generatePublic(
                            new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            return new KeyPair(publicKey, privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token signing key " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "the token signing key " + pemFile + " is not a valid RSA key", e);
        }
    }

    /** Loads the development key, generating a 2048-bit RSA key on first use. */
    public static KeyPair loadOrGenerate(Path pemFile) {
        if (Files.exists(pemFile)) {
            return load(pemFile);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String pem =
                    BEGIN
                            + "\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(pair.getPrivate().getEncoded())
                            + "\n"
                            + END
                            + "\n";
            Files.writeString(pemFile, pem, StandardCharsets.US_ASCII);
            dev.bluepost.platform.DataDirectory.restrictToOwner(pemFile, "rw-------");
            return load(pemFile);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the development signing key " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is always available", e);
        }
    }
}
