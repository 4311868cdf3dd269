package dev.keycloakmcp.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;

import dev.keycloakmcp.response.ResponseMode;

/**
 * The rules that turn Keycloak's stock discovery document into one an MCP client can trust: it advertises
 * exactly what an MCP realm enforces (S256 only, the code flow only, answers in the query, the grants MCP clients use) and where
 * MCP clients register. The issuer is never touched: MCP clients reject a document whose issuer differs.
 */
public final class AuthorizationServerMetadata {

    static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");
    static final List<String> RESPONSE_TYPES = List.of("code");
    static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token");

    private AuthorizationServerMetadata() {
    }

    /**
     * @param tokenEndpointAuthMethods what the MCP registration endpoint hands out ({@code none}, plus the client
     *                                 secret methods where the admin allows confidential MCP clients)
     * @param metadataDocuments        whether the realm accepts Client ID Metadata Documents
     */
    public static OIDCConfigurationRepresentation shapeForMcp(OIDCConfigurationRepresentation metadata,
            String registrationEndpoint, Collection<String> mcpScopes, List<String> tokenEndpointAuthMethods, boolean metadataDocuments) {
        metadata.setCodeChallengeMethodsSupported(CODE_CHALLENGE_METHODS);
        metadata.setResponseTypesSupported(RESPONSE_TYPES);
        metadata.setGrantTypesSupported(GRANT_TYPES);
        metadata.setRegistrationEndpoint(registrationEndpoint);
        metadata.setAuthorizationResponseIssParameterSupported(Boolean.TRUE);
        if (metadata.getResponseModesSupported() != null) {
            metadata.setResponseModesSupported(
                    metadata.getResponseModesSupported().stream().filter(ResponseMode.SUPPORTED::contains).toList());
        }

        metadata.setTokenEndpointAuthMethodsSupported(tokenEndpointAuthMethods);
        if (metadataDocuments) {
            metadata.setClientIdMetadataDocumentSupported(Boolean.TRUE);
        }

        Set<String> scopes = new LinkedHashSet<>();
        if (metadata.getScopesSupported() != null) {
            scopes.addAll(metadata.getScopesSupported());
        }
        scopes.addAll(mcpScopes);
        metadata.setScopesSupported(new ArrayList<>(scopes));
        return metadata;
    }
}
