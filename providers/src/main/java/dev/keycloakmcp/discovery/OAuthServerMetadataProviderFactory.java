package dev.keycloakmcp.discovery;

import org.keycloak.protocol.oauth2.OAuth2WellKnownProviderFactory;

/** {@code oauth-authorization-server} (RFC 8414): the first URL MCP clients try. */
public class OAuthServerMetadataProviderFactory extends McpMetadataProviderFactory {

    public OAuthServerMetadataProviderFactory() {
        super(OAuth2WellKnownProviderFactory.PROVIDER_ID, OAuth2WellKnownProviderFactory.PROVIDER_ID, false);
    }
}
