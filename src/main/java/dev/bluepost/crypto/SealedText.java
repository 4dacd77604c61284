package dev.bluepost.crypto;

/**
 * The stored form of a body: AES-256-GCM ciphertext (with its 128-bit tag), the 12-byte IV, and the
 * SHA-256 digest of the plaintext, which is verified after every decryption.
 */
public record SealedText(byte[] iv, byte[] ciphertext, byte[] sha256) {}
