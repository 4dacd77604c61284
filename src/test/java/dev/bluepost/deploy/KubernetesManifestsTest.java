package dev.bluepost.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests an operator deploys ({@code deploy/kubernetes/}, docs/operations.md),
 * parsed as Kubernetes reads them: the Deployment has its three probes on the application's
 * health endpoints, resources, and every secret by reference (never a value in the files); the
 * PodDisruptionBudget covers the Deployment's pods; the kustomization lists every file.
 */
class KubernetesManifestsTest {

    private static final Path DIRECTORY = Path.of("deploy", "kubernetes");

    /** What must only ever come from a Secret: the KEK, passwords, the system client's secret, the signing key. */
    private static final Set<String> SECRET_SETTINGS =
            Set.of(
                    "BLUEPOST_KEK",
                    "BLUEPOST_DB_PASSWORD",
                    "BLUEPOST_SYSTEM_CLIENT_SECRET",
                    "BLUEPOST_SMTP_PASSWORD",
                    "BLUEPOST_SMTP_USER");

    /** A PEM block, a long base64 string (a KEK is 44 characters), or a password in a URL or option. */
    private static final Pattern SECRET_LOOKING =
            Pattern.compile(
                    "(?i)(-----BEGIN|^[A-Za-z0-9+/_-]{40,}={0,2}$|password=|://[^/@]+:[^/@]+@)");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final List<JsonNode> documents = new ArrayList<>();

    @BeforeAll
    static void parse() throws IOException {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream()
                            .filter(d -> d != null && !d.isEmpty())
                            .forEach(documents::add);
                }
            }
        }
    }

    @Test
    void shouldGiveTheDeploymentProbesOnTheHealthEndpointsAndResources() {
        JsonNode container = container();
        assertThat(container.at("/startupProbe/httpGet/path").asText())
                .isEqualTo("/q/health/started");
        assertThat(container.at("/readinessProbe/httpGet/path").asText())
                .isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText())
                .isEqualTo("/q/health/live");
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText())
                    .as(probe)
                    .isEqualTo("http");
        }
        assertThat(ports(container)).containsEntry("http", 8080).containsEntry("management", 9000);
        for (String kind : List.of("requests", "limits")) {
            assertThat(container.at("/resources/" + kind + "/cpu").asText())
                    .as(kind + " cpu")
                    .isNotEmpty();
            assertThat(container.at("/resources/" + kind + "/memory").asText())
                    .as(kind + " memory")
                    .isNotEmpty();
        }
        assertThat(deployment().at("/spec/replicas").asInt()).isGreaterThan(1);
        assertThat(deployment().at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean())
                .isTrue();
        assertThat(container.at("/image").asText()).isEqualTo("bluepost/bluepost:0.1.0-SNAPSHOT");
    }

    @Test
    void shouldTakeEverySecretByReferenceAndNoneInline() {
        JsonNode container = container();
        Set<String> fromSecrets = new HashSet<>();
        for (JsonNode env : container.path("env")) {
            String name = env.path("name").asText();
            if (SECRET_SETTINGS.contains(name)) {
                assertThat(env.has("value")).as(name + " has no inline value").isFalse();
                assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
                        .as(name)
                        .isEqualTo("bluepost-secrets");
                fromSecrets.add(name);
            }
        }
        assertThat(fromSecrets).containsExactlyInAnyOrderElementsOf(SECRET_SETTINGS);

        // the signing key is a file from the same Secret, read-only
        String signingKey = envValue(container, "BLUEPOST_SIGNING_KEY");
        JsonNode mount = find(container.path("volumeMounts"), "name", "signing-key");
        assertThat(signingKey).startsWith(mount.path("mountPath").asText() + "/");
        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        JsonNode volume =
                find(deployment().at("/spec/template/spec/volumes"), "name", "signing-key");
        assertThat(volume.at("/secret/secretName").asText()).isEqualTo("bluepost-secrets");

        // nothing that looks like a secret is written in the ConfigMap or as a plain value
        JsonNode config = document("ConfigMap", "bluepost-config");
        config.path("data")
                .fields()
                .forEachRemaining(
                        e -> {
                            assertThat(SECRET_SETTINGS).doesNotContain(e.getKey());
                            assertThat(e.getValue().asText())
                                    .as(e.getKey())
                                    .doesNotContainPattern(SECRET_LOOKING);
                        });
        assertThat(documents).noneMatch(d -> d.path("kind").asText().equals("Secret"));
        assertThat(container.path("envFrom").findValues("name"))
                .extracting(JsonNode::asText)
                .contains("bluepost-config");
    }

    @Test
    void shouldLetAtMostOneInstanceGoAtATime() {
        JsonNode budget = document("PodDisruptionBudget", "bluepost");
        assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(budget.at("/spec/selector/matchLabels"))
                .isEqualTo(deployment().at("/spec/template/metadata/labels"));
        assertThat(deployment().at("/spec/selector/matchLabels"))
                .isEqualTo(deployment().at("/spec/template/metadata/labels"));
        assertThat(deployment().at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
    }

    @Test
    void shouldListEveryManifestInTheKustomization() throws IOException {
        JsonNode kustomization = document("Kustomization", null);
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            assertThat(resources)
                    .containsExactlyInAnyOrderElementsOf(
                            files.map(f -> f.getFileName().toString())
                                    .filter(
                                            f ->
                                                    f.endsWith(".yaml")
                                                            && !f.equals("kustomization.yaml"))
                                    .toList());
        }
    }

    private static JsonNode deployment() {
        return document("Deployment", "bluepost");
    }

    private static JsonNode container() {
        return find(deployment().at("/spec/template/spec/containers"), "name", "bluepost");
    }

    private static java.util.Map<String, Integer> ports(JsonNode container) {
        java.util.Map<String, Integer> ports = new java.util.HashMap<>();
        container
                .path("ports")
                .forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        return ports;
    }

    private static String envValue(JsonNode container, String name) {
        return find(container.path("env"), "name", name).path("value").asText();
    }

    private static JsonNode document(String kind, String name) {
        return documents.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .filter(d -> name == null || d.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no " + kind + " " + name + " in " + DIRECTORY));
    }

    private static JsonNode find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no entry with " + field + "=" + value + " in " + list);
    }
}
