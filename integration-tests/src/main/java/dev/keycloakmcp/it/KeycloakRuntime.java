package dev.keycloakmcp.it;

/** A running Keycloak with the pack installed and the {@code mcp} realm imported. */
public interface KeycloakRuntime extends AutoCloseable {

    /** Base URL, e.g. {@code http://localhost:8080}. */
    String baseUrl();

    default String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    @Override
    void close();
}
