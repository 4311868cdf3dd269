package dev.keycloakmcp.it.support;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.core.KeycloakVersion;

/**
 * The Keycloak line this test run starts ({@code keycloak.version}), and what the pack's compatibility table says of
 * it: tests that differ by line expect what {@link KeycloakFeature} says, so that the table is what the tests prove.
 */
public final class RunningKeycloak {

    private RunningKeycloak() {
    }

    public static KeycloakVersion version() {
        return KeycloakVersion.parse(System.getProperty("keycloak.version"));
    }

    public static boolean has(KeycloakFeature feature) {
        return feature.isOn(version());
    }

    /**
     * The first metadata URL MCP clients try that this line serves: the RFC 8414 root URL from Keycloak 26.4, the
     * realm path before (MCP clients' last try).
     */
    public static String metadataUrl(KeycloakRuntime keycloak, String realm) {
        return has(KeycloakFeature.ROOT_METADATA) ? keycloak.baseUrl() + "/.well-known/oauth-authorization-server/realms/" + realm
                : keycloak.issuer(realm) + "/.well-known/openid-configuration";
    }
}
