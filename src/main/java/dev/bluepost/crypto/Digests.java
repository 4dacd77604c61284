package dev.bluepost.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the digest of every stored body and attachment and of opaque tokens kept in the
 * database; SHA-1 only where a standard defines it (FHIR {@code Attachment.hash}).
 */
public final class Digests {

    private Digests() {}

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** SHA-1, for FHIR Attachment.hash only: never for integrity decisions, which use SHA-256. */
    public static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    public static String sha256Hex(String text) {
        return HexFormat.of()
                .formatHex(sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
