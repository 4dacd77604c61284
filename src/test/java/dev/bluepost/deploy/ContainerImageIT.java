package dev.bluepost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container image {@code ./mvnw package} writes to {@code target/bluepost-image.tar} (Jib, on
 * the offline base of deploy/image/base-image.sh; docs/adr/0044), read as {@code docker load}
 * reads it: a docker-archive with a manifest naming the image, a config whose entrypoint starts
 * the packaged application with the image's own Java runtime as an unprivileged user, and layers
 * that hold that runtime (with the dynamic loader and C library it needs) and the application.
 */
class ContainerImageIT {

    private static final Path TARBALL = Path.of("target", "bluepost-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, byte[]> outer;
    private static JsonNode manifest;
    private static JsonNode config;
    private static List<Set<String>> layers;

    @BeforeAll
    static void read() throws IOException {
        assertThat(TARBALL).as("./mvnw package writes the image").isRegularFile();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(TARBALL))) {
            outer = Tar.read(in, true);
        }
        manifest = JSON.readTree(outer.get("manifest.json")).get(0);
        config = JSON.readTree(outer.get(manifest.path("Config").asText()));
        layers = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            byte[] bytes = outer.get(layer.asText());
            assertThat(bytes).as("layer " + layer.asText() + " is in the tarball").isNotNull();
            InputStream in = new java.io.ByteArrayInputStream(bytes);
            if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
                in = new GZIPInputStream(in);
            }
            layers.add(Tar.read(in, false).keySet());
        }
    }

    @Test
    void shouldNameTheImageAndDescribeItsLayers() {
        assertThat(manifest.path("RepoTags").get(0).asText())
                .isEqualTo("bluepost/bluepost:0.1.0-SNAPSHOT");
        assertThat(config.path("os").asText()).isEqualTo("linux");
        assertThat(config.at("/rootfs/diff_ids")).hasSize(layers.size());
        assertThat(layers).hasSizeGreaterThan(1);
    }

    @Test
    void shouldStartTheApplicationWithTheImagesOwnJavaAsAnUnprivilegedUser() {
        List<String> entrypoint = new ArrayList<>();
        config.at("/config/Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).containsSequence("-jar", "quarkus-run.jar");
        assertThat(config.at("/config/WorkingDir").asText()).isEqualTo("/deployments");
        assertThat(config.at("/config/User").asText()).isEqualTo("185");
        List<String> env = new ArrayList<>();
        config.at("/config/Env").forEach(e -> env.add(e.asText()));
        assertThat(env).anyMatch(e -> e.startsWith("PATH=/opt/java/bin:"));
        assertThat(config.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void shouldHoldAJavaRuntimeWithItsLibrariesAndTheApplication() {
        Set<String> files = new LinkedHashSet<>();
        layers.forEach(files::addAll);
        assertThat(files)
                .contains(
                        "opt/java/bin/java",
                        "opt/java/lib/modules",
                        "opt/java/lib/libjli.so",
                        "lib64/ld-linux-x86-64.so.2",
                        "lib/x86_64-linux-gnu/libc.so.6",
                        "lib/x86_64-linux-gnu/libz.so.1",
                        "etc/passwd",
                        "deployments/quarkus-run.jar",
                        "deployments/quarkus/quarkus-application.dat");
        assertThat(files).anyMatch(f -> f.startsWith("deployments/app/") && f.endsWith(".jar"));
        assertThat(files)
                .anyMatch(f -> f.startsWith("deployments/lib/main/") && f.contains("postgresql"));
        // the runtime comes in a layer of its own, under the application's
        assertThat(layers.get(0))
                .contains("opt/java/bin/java")
                .doesNotContain("deployments/quarkus-run.jar");
    }

    /** Just enough of the tar format (ustar, GNU long names) to list a layer and read the archive's small files. */
    static final class Tar {

        private Tar() {}

        /** Entry names (without a leading "./" or "/"), with their content when {@code keepContent}. */
        static Map<String, byte[]> read(InputStream in, boolean keepContent) throws IOException {
            Map<String, byte[]> entries = new HashMap<>();
            byte[] header = new byte[512];
            String longName = null;
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) {
                    break;
                }
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                long size =
                        Long.parseLong(
                                text(header, 124, 12).trim().isEmpty()
                                        ? "0"
                                        : text(header, 124, 12).trim(),
                                8);
                char type = (char) header[156];
                byte[] content = keepContent || type == 'L' ? in.readNBytes((int) size) : null;
                if (content == null) {
                    in.skipNBytes(size);
                }
                long padding = (512 - size % 512) % 512;
                in.skipNBytes(padding);
                if (type == 'L') {
                    longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
                    continue;
                }
                String full =
                        longName != null ? longName : prefix.isEmpty() ? name : prefix + "/" + name;
                longName = null;
                full = full.replaceFirst("^\\./", "").replaceFirst("^/", "");
                if (!full.isEmpty()) {
                    entries.put(
                            full.endsWith("/") ? full.substring(0, full.length() - 1) : full,
                            content);
                }
            }
            return entries;
        }

        private static String text(byte[] header, int offset, int length) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = offset; i < offset + length && header[i] != 0; i++) {
                out.write(header[i]);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
