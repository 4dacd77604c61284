package dev.bluepost.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bluepost.platform.DataDirectory;
import dev.bluepost.platform.PlatformConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeCipherTest {

    private static final byte[] AAD = "message-body:1".getBytes(StandardCharsets.US_ASCII);
    private static final String KEK_1 = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String KEK_2 = Base64.getEncoder().encodeToString(filled(32, (byte) 7));

    @TempDir Path dataDir;

    private EnvelopeCipher cipher;

    @BeforeEach
    void setUp() {
        cipher = new EnvelopeCipher(keyRing(Optional.of(KEK_1), "kek-1", Map.of(), false));
    }

    @Test
    void shouldRoundTripBodyUnderThreadDataKey() {
        WrappedKey key = cipher.newDataKey();
        byte[] text = "Renew my inhaler, please".getBytes(StandardCharsets.UTF_8);

        SealedText sealed = cipher.seal(key, text, AAD);

        assertThat(key.kekId()).isEqualTo("kek-1");
        assertThat(key.wrapped()).hasSize(40);
        assertThat(sealed.iv()).hasSize(12);
        assertThat(sealed.ciphertext()).hasSize(text.length + 16);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1))
                .doesNotContain("inhaler");
        assertThat(cipher.open(key, sealed, AAD, "body")).isEqualTo(text);
    }

    @Test
    void shouldUseFreshIvForEveryBody() {
        WrappedKey key = cipher.newDataKey();
        byte[] text = "same text".getBytes(StandardCharsets.UTF_8);
        assertThat(cipher.seal(key, text, AAD).iv()).isNotEqualTo(cipher.seal(key, text, AAD).iv());
    }

    @Test
    void shouldRefuseChangedCiphertextIvDigestOrAssociatedData() {
        WrappedKey key = cipher.newDataKey();
        SealedText sealed = cipher.seal(key, "hello".getBytes(StandardCharsets.UTF_8), AAD);

        byte[] flipped = sealed.ciphertext().clone();
        flipped[0] ^= 1;
        assertThatThrownBy(
                        () ->
                                cipher.open(
                                        key,
                                        new SealedText(sealed.iv(), flipped, sealed.sha256()),
                                        AAD,
                                        "body"))
                .isInstanceOf(TamperedDataException.class)
                .hasMessageNotContaining("hello");
        byte[] otherIv = sealed.iv().clone();
        otherIv[0] ^= 1;
        assertThatThrownBy(
                        () ->
                                cipher.open(
                                        key,
                                        new SealedText(
                                                otherIv, sealed.ciphertext(), sealed.sha256()),
                                        AAD,
                                        "body"))
                .isInstanceOf(TamperedDataException.class);
        byte[] otherDigest = sealed.sha256().clone();
        otherDigest[0] ^= 1;
        assertThatThrownBy(
                        () ->
                                cipher.open(
                                        key,
                                        new SealedText(
                                                sealed.iv(), sealed.ciphertext(), otherDigest),
                                        AAD,
                                        "body"))
                .isInstanceOf(TamperedDataException.class);
        assertThatThrownBy(
                        () ->
                                cipher.open(
                                        key,
                                        sealed,
                                        "message-body:2".getBytes(StandardCharsets.US_ASCII),
                                        "body"))
                .isInstanceOf(TamperedDataException.class);
    }

    @Test
    void shouldNotOpenWithAnotherThreadsDataKey() {
        SealedText sealed =
                cipher.seal(cipher.newDataKey(), "hello".getBytes(StandardCharsets.UTF_8), AAD);
        assertThatThrownBy(() -> cipher.open(cipher.newDataKey(), sealed, AAD, "body"))
                .isInstanceOf(TamperedDataException.class);
    }

    @Test
    void shouldRewrapDataKeyUnderNewKekWithoutTouchingBodies() {
        WrappedKey oldKey = cipher.newDataKey();
        SealedText sealed = cipher.seal(oldKey, "kept".getBytes(StandardCharsets.UTF_8), AAD);

        EnvelopeCipher rotated =
                new EnvelopeCipher(
                        keyRing(Optional.of(KEK_2), "kek-2", Map.of("kek-1", KEK_1), false));
        WrappedKey newKey = rotated.rewrap(oldKey);

        assertThat(newKey.kekId()).isEqualTo("kek-2");
        assertThat(newKey.wrapped()).isNotEqualTo(oldKey.wrapped());
        assertThat(rotated.open(newKey, sealed, AAD, "body"))
                .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
        assertThat(rotated.open(oldKey, sealed, AAD, "body"))
                .isEqualTo("kept".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseToStartWithoutKekOutsideDevelopment() {
        assertThatThrownBy(() -> keyRing(Optional.empty(), "kek-1", Map.of(), false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BLUEPOST_KEK");
        assertThatThrownBy(() -> keyRing(Optional.of("not base64!"), "kek-1", Map.of(), false))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () ->
                                keyRing(
                                        Optional.of(
                                                Base64.getEncoder().encodeToString(new byte[16])),
                                        "kek-1",
                                        Map.of(),
                                        false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void shouldGenerateDevelopmentKekOnceAndReuseIt() throws Exception {
        KeyRing first = keyRing(Optional.empty(), "dev", Map.of(), true);
        Path file = dataDir.resolve("keys/dev.kek");
        assertThat(file).exists();
        String stored = Files.readString(file);
        KeyRing second = keyRing(Optional.empty(), "dev", Map.of(), true);
        assertThat(Files.readString(file)).isEqualTo(stored);
        assertThat(second.active().getEncoded()).isEqualTo(first.active().getEncoded());
    }

    private KeyRing keyRing(
            Optional<String> kek, String id, Map<String, String> retired, boolean generate) {
        CryptoConfig config =
                new CryptoConfig() {
                    public Optional<String> kek() {
                        return kek;
                    }

                    public String kekId() {
                        return id;
                    }

                    public Map<String, String> retiredKeks() {
                        return retired;
                    }

                    public boolean generateDevKeys() {
                        return generate;
                    }
                };
        PlatformConfig platform =
                new PlatformConfig() {
                    public String dataDir() {
                        return dataDir.toString();
                    }

                    public ZoneId defaultTimeZone() {
                        return ZoneId.of("America/New_York");
                    }
                };
        return new KeyRing(config, new DataDirectory(platform));
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
