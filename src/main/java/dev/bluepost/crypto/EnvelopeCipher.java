package dev.bluepost.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Envelope encryption of message bodies: every thread has its own AES-256 data key, wrapped by the
 * active key-encryption key with AES key wrap (RFC 3394, Bouncy Castle); bodies are sealed with
 * AES-256-GCM (a fresh 12-byte IV each, the JDK's hardware-accelerated provider) with associated
 * data that binds the ciphertext to its row, and carry a SHA-256 digest of the plaintext that
 * {@link #open} verifies.
 */
@ApplicationScoped
public class EnvelopeCipher {

    private static final int GCM_TAG_BITS = 128;
    private static final int IV_BYTES = 12;
    private static final int DATA_KEY_BYTES = 32;

    private final KeyRing keyRing;
    private final SecureRandom random = new SecureRandom();

    public EnvelopeCipher(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    /** A fresh data key, wrapped under the active KEK, for storing with a new thread. */
    public WrappedKey newDataKey() {
        byte[] key = new byte[DATA_KEY_BYTES];
        random.nextBytes(key);
        try {
            return wrap(key, keyRing.activeKekId());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Re-wraps a data key under the active KEK (KEK rotation; the sealed bodies are untouched). */
    public WrappedKey rewrap(WrappedKey dataKey) {
        byte[] key = unwrapBytes(dataKey);
        try {
            return wrap(key, keyRing.activeKekId());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Encrypts {@code plaintext} under the data key; {@code associatedData} must be given again to open it. */
    public SealedText seal(WrappedKey dataKey, byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.ENCRYPT_MODE, unwrap(dataKey), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(associatedData);
            return new SealedText(iv, cipher.doFinal(plaintext), Digests.sha256(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts and verifies a body; throws {@link TamperedDataException} when the GCM tag or the
     * SHA-256 digest does not match (a changed ciphertext, IV, digest or associated data).
     */
    public byte[] open(WrappedKey dataKey, SealedText sealed, byte[] associatedData, String what) {
        byte[] plaintext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    unwrap(dataKey),
                    new GCMParameterSpec(GCM_TAG_BITS, sealed.iv()));
            cipher.updateAAD(associatedData);
            plaintext = cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new TamperedDataException(what);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
        if (!MessageDigest.isEqual(Digests.sha256(plaintext), sealed.sha256())) {
            throw new TamperedDataException(what);
        }
        return plaintext;
    }

    private SecretKey unwrap(WrappedKey dataKey) {
        byte[] key = unwrapBytes(dataKey);
        try {
            return new SecretKeySpec(key, "AES");
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private WrappedKey wrap(byte[] key, String kekId) {
        AESWrapEngine engine = new AESWrapEngine();
        engine.init(true, new KeyParameter(keyRing.byId(kekId).getEncoded()));
        return new WrappedKey(kekId, engine.wrap(key, 0, key.length));
    }

    private byte[] unwrapBytes(WrappedKey dataKey) {
        AESWrapEngine engine = new AESWrapEngine();
        engine.init(false, new KeyParameter(keyRing.byId(dataKey.kekId()).getEncoded()));
        try {
            return engine.unwrap(dataKey.wrapped(), 0, dataKey.wrapped().length);
        } catch (InvalidCipherTextException e) {
            throw new TamperedDataException("data key wrapped by " + dataKey.kekId());
        }
    }
}
