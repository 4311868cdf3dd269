package dev.keycloakmcp.it.support;

/** A running Keycloak with the pack installed and the {@code mcp} realm imported. */
public interface KeycloakRuntime extends AutoCloseable {

    /** Base URL, e.g. {@code http://localhost:8080}. */
    String baseUrl();

    /** The management interface's base URL (health, {@code /metrics}), e.g. {@code http://localhost:9000}. */
    String managementUrl();

    /** Lines of Keycloak's log that contain {@code text}. */
    java.util.List<String> logLines(String text);

    /** Lines of Keycloak's log that report a request answered with a server error. */
    default java.util.List<String> serverErrors() {
        return logLines(KeycloakDistribution.SERVER_ERROR);
    }

    default String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    @Override
    void close();
}
