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
}
