package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.testcontainers.utility.MountableFile;

import dasniko.testcontainers.keycloak.KeycloakContainer;

/** Keycloak in a container (testcontainers-keycloak), with the same pack, realm and environment. */
final class ContainerKeycloak implements KeycloakRuntime {

    private final KeycloakContainer container;

    private ContainerKeycloak(KeycloakContainer container) {
        this.container = container;
    }

    static ContainerKeycloak start(String version, Path packDir, Path realmFile, Map<String, String> environment,
            List<String> options) throws IOException {
        KeycloakContainer container = new KeycloakContainer("quay.io/keycloak/keycloak:" + version)
                .withAdminUsername(KeycloakDistribution.ADMIN_USERNAME)
                .withAdminPassword(KeycloakDistribution.ADMIN_PASSWORD)
                .withEnv(environment)
                .withCopyFileToContainer(MountableFile.forHostPath(realmFile), "/opt/keycloak/data/import/" + realmFile.getFileName());
        try (Stream<Path> jars = Files.list(packDir)) {
            List<Path> pack = jars.filter(p -> p.toString().endsWith(".jar")).toList();
            for (Path jar : pack) {
                container = container.withCopyFileToContainer(MountableFile.forHostPath(jar), "/opt/keycloak/providers/" + jar.getFileName());
            }
        }
        List<String> command = new java.util.ArrayList<>(List.of("start-dev", "--import-realm"));
        command.addAll(options);
        container.withCommand(command.toArray(String[]::new));
        container.start();
        return new ContainerKeycloak(container);
    }

    @Override
    public String baseUrl() {
        String url = container.getAuthServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String managementUrl() {
        String url = container.getMgmtServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public List<String> logLines(String text) {
        return container.getLogs().lines().filter(line -> line.contains(text)).toList();
    }

    @Override
    public void close() {
        container.stop();
    }
}
