package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.testcontainers.DockerClientFactory;

/**
 * The one place that decides how tests get a Keycloak: the distribution from Maven Central, which is what runs on
 * machines without Docker, CI included; or, with {@code -Dkeycloak.container=true} and a Docker engine,
 * testcontainers-keycloak (the convention Keycloak extension authors know). The metadata-document tests need the
 * distribution: their documents are served on this host, which a Keycloak in a container reaches only through a
 * private address — exactly what its fetch rules refuse.
 */
final class KeycloakRuntimes {

    private KeycloakRuntimes() {
    }

    /** Keycloak with {@code options}, and its metrics on (the metrics test reads the pack's). */
    static KeycloakRuntime start(Map<String, String> environment, List<String> extraOptions) throws IOException, InterruptedException {
        List<String> options = new java.util.ArrayList<>(extraOptions);
        options.add(KeycloakDistribution.METRICS);
        Path packDir = Path.of(System.getProperty("keycloak.pack.dir"));
        Path realmFile = Path.of(System.getProperty("realm.file"));
        if (Boolean.getBoolean("keycloak.container") && dockerAvailable()) {
            return ContainerKeycloak.start(System.getProperty("keycloak.version"), packDir, realmFile, environment, options);
        }
        Path home = Path.of(System.getProperty("keycloak.home"));
        // One log per distribution (keycloak-<version>-it.log): the compatibility run starts one Keycloak line after another.
        return KeycloakDistribution.start(home, packDir, realmFile, KeycloakDistribution.freePort(), KeycloakDistribution.freePort(), environment, options,
                home.getParent().resolve(home.getFileName() + "-it.log"));
    }

    private static boolean dockerAvailable() {
        // Ask Testcontainers only where a Docker engine may be: its probe logs errors when there is none.
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))
                && !Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
