package dev.keycloakmcp.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;

/**
 * The rules that turn Keycloak's stock discovery document into one an MCP client can trust: it advertises
 * exactly what an MCP realm enforces (S256 only, the code flow only, the grants MCP clients use) and where
 * MCP clients register. The issuer is never touched: MCP clients reject a document whose issuer differs.
 */
public final class AuthorizationServerMetadata {

    static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");
    static final List<String> RESPONSE_TYPES = List.of("code");
    static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token");
    static final Set<String> RESPONSE_MODES = Set.of("query", "form_post");
    /** Public MCP clients authenticate with PKCE alone; confidential clients keep Keycloak's methods. */
    static final String PUBLIC_CLIENT_AUTH_METHOD = "none";

    private AuthorizationServerMetadata() {
    }

    public static OIDCConfigurationRepresentation shapeForMcp(OIDCConfigurationRepresentation metadata,
            String registrationEndpoint, Collection<String> mcpScopes) {
        metadata.setCodeChallengeMethodsSupported(CODE_CHALLENGE_METHODS);
        metadata.setResponseTypesSupported(RESPONSE_TYPES);
        metadata.setGrantTypesSupported(GRANT_TYPES);
        metadata.setRegistrationEndpoint(registrationEndpoint);
        metadata.setAuthorizationResponseIssParameterSupported(Boolean.TRUE);
        if (metadata.getResponseModesSupported() != null) {
            metadata.setResponseModesSupported(
                    metadata.getResponseModesSupported().stream().filter(RESPONSE_MODES::contains).toList());
        }

        Set<String> authMethods = new LinkedHashSet<>();
        authMethods.add(PUBLIC_CLIENT_AUTH_METHOD);
        if (metadata.getTokenEndpointAuthMethodsSupported() != null) {
            authMethods.addAll(metadata.getTokenEndpointAuthMethodsSupported());
        }
        metadata.setTokenEndpointAuthMethodsSupported(new ArrayList<>(authMethods));

        Set<String> scopes = new LinkedHashSet<>();
        if (metadata.getScopesSupported() != null) {
            scopes.addAll(metadata.getScopesSupported());
        }
        scopes.addAll(mcpScopes);
        metadata.setScopesSupported(new ArrayList<>(scopes));
        return metadata;
    }
}
