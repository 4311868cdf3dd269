package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientPolicyRepresentation;
import org.keycloak.representations.idm.ClientProfileRepresentation;

import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.core.KeycloakVersion;
import dev.keycloakmcp.core.McpClientPolicy;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.RunningKeycloak;

/**
 * On every tested Keycloak line, the pack says at start what the line lacks, and sets up the realm for it, as the
 * compatibility table ({@link KeycloakFeature}) says. The other differences are checked where the capability is
 * tested (DiscoveryIT for the root URLs, AuthorizationIT for the code exchange).
 */
@McpStackTest
@Compat
class KeycloakLineIT {

    private static McpStack stack;

    @Test
    void theStartLogNamesEachFeatureThisLineLacksAndNothingElse() {
        KeycloakVersion version = RunningKeycloak.version();
        for (KeycloakFeature feature : KeycloakFeature.values()) {
            List<String> lines = stack.keycloak.logLines(feature.missingLine(version));
            assertEquals(feature.isOn(version) ? 0 : 1, lines.size(), feature + " on Keycloak " + version + ": " + lines);
        }
        assertEquals(List.of(), stack.keycloak.logLines("keycloak-mcp: Keycloak " + version + " is "),
                "a tested line is neither newer than the newest nor older than the oldest");
    }

    /** Lines without the check SPI carry the rules in the client policy "mcp"; lines with it have none. */
    @Test
    void theMcpRealmHasTheClientPolicyExactlyWhereTheLineLacksTheCheckSpi() {
        boolean needed = !RunningKeycloak.has(KeycloakFeature.AUTHORIZATION_CHECKS);
        List<ClientProfileRepresentation> profiles = stack.admin.realm().clientPoliciesProfilesResource().getProfiles(false).getProfiles();
        List<ClientPolicyRepresentation> policies = stack.admin.realm().clientPoliciesPoliciesResource().getPolicies(false).getPolicies();
        List<ClientProfileRepresentation> mcpProfiles = profiles == null ? List.of()
                : profiles.stream().filter(p -> McpClientPolicy.NAME.equals(p.getName())).toList();
        List<ClientPolicyRepresentation> mcpPolicies = policies == null ? List.of()
                : policies.stream().filter(p -> McpClientPolicy.NAME.equals(p.getName())).toList();
        assertEquals(needed ? 1 : 0, mcpProfiles.size(), String.valueOf(profiles));
        assertEquals(needed ? 1 : 0, mcpPolicies.size(), String.valueOf(policies));
        if (needed) {
            assertEquals(List.of("mcp-authorization", "mcp-metadata-document-refresh"),
                    mcpProfiles.get(0).getExecutors().stream().map(e -> e.getExecutorProviderId()).toList());
            assertTrue(mcpPolicies.get(0).isEnabled());
            assertEquals(List.of(McpClientPolicy.NAME), mcpPolicies.get(0).getProfiles());
        }
    }
}
