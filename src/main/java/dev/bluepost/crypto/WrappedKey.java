package dev.bluepost.crypto;

/**
 * A data key as stored: AES-wrapped (RFC 3394) under the key-encryption key named {@code kekId}.
 *
 * @param kekId   the id of the KEK that wrapped it
 * @param wrapped the 40-byte wrapped key
 */
public record WrappedKey(String kekId, byte[] wrapped) {}
