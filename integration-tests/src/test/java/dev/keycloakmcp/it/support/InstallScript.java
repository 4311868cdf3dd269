package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code realm-config/add-mcp-to-realm.sh}, run as an admin runs it: against the test Keycloak as its admin, in a folder
 * of its own (where it writes a generated secret), with the settings a test gives on top of the required ones.
 */
public final class InstallScript {

    static final Path SCRIPT = Path.of(System.getProperty("realm.file")).resolveSibling("add-mcp-to-realm.sh");

    /** What one run printed, and the folder it ran in. */
    public record Run(String output, Path directory) {

        /** The MCP server's client secret Keycloak generated (no {@code MCP_SERVER_SECRET} given). */
        public String generatedSecret() {
            try {
                return Files.readString(directory.resolve("mcp-server-client-secret")).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private InstallScript() {
    }

    /** Runs the script for {@code realm} and {@code mcpServerUrl}; fails the test unless it exits 0 within 2 minutes. */
    public static Run run(KeycloakRuntime keycloak, String realm, String mcpServerUrl, Map<String, String> settings) {
        try {
            Path directory = Files.createTempDirectory("add-mcp-to-realm");
            Path log = directory.resolve("script.log");
            ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString()).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = new HashMap<>(Map.of("KEYCLOAK_URL", keycloak.baseUrl(), "REALM", realm,
                    "MCP_SERVER_URL", mcpServerUrl, "KEYCLOAK_ADMIN", KeycloakDistribution.ADMIN_USERNAME,
                    "KEYCLOAK_ADMIN_PASSWORD", KeycloakDistribution.ADMIN_PASSWORD));
            environment.putAll(settings);
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(2, TimeUnit.MINUTES);
            process.destroyForcibly();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished && process.exitValue() == 0, () -> "add-mcp-to-realm.sh failed:\n" + output);
            return new Run(output, directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
