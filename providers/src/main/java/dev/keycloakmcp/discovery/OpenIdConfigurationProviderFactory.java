package dev.keycloakmcp.discovery;

import org.keycloak.protocol.oidc.OIDCWellKnownProviderFactory;

/**
 * {@code openid-configuration} (OpenID Connect Discovery): the fallback MCP clients try.
 * Including the root form {@code /.well-known/openid-configuration/realms/{realm}}, which stock Keycloak answers 404.
 */
public class OpenIdConfigurationProviderFactory extends McpMetadataProviderFactory {

    public OpenIdConfigurationProviderFactory() {
        super(OIDCWellKnownProviderFactory.PROVIDER_ID, OIDCWellKnownProviderFactory.PROVIDER_ID, true);
    }
}
