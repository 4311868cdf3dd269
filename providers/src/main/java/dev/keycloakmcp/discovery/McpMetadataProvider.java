package dev.keycloakmcp.discovery;

import jakarta.ws.rs.NotFoundException;

import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCWellKnownProviderFactory;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;
import org.keycloak.services.Urls;
import org.keycloak.wellknown.WellKnownProvider;

import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.enterprise.TrustedIdps;
import dev.keycloakmcp.offline.OfflineAccess;
import dev.keycloakmcp.registration.McpClientRegistrationProviderFactory;
import dev.keycloakmcp.registration.RegistrationRequest;

/**
 * Serves Keycloak's own discovery document, reshaped for MCP ({@link AuthorizationServerMetadata}) in MCP realms.
 * Other realms get the stock document unchanged, and the root {@code openid-configuration} form keeps answering 404
 * there, as in stock Keycloak.
 */
class McpMetadataProvider implements WellKnownProvider {

    private final KeycloakSession session;
    private final String stockProviderId;
    private final boolean rootFormOnlyForMcp;

    McpMetadataProvider(KeycloakSession session, String stockProviderId, boolean rootFormOnlyForMcp) {
        this.session = session;
        this.stockProviderId = stockProviderId;
        this.rootFormOnlyForMcp = rootFormOnlyForMcp;
    }

    @Override
    public Object getConfig() {
        RealmModel realm = session.getContext().getRealm();
        boolean mcp = McpRealm.isEnabled(realm);
        if (!mcp && rootFormOnlyForMcp && isRootForm()) {
            throw new NotFoundException();
        }
        Object stock = session.getProvider(WellKnownProvider.class, stockProviderId).getConfig();
        if (!mcp || !(stock instanceof OIDCConfigurationRepresentation metadata)) {
            return stock;
        }
        McpRealmSettings settings = McpRealmSettings.of(realm);
        String registrationEndpoint = Urls.realmBase(session.getContext().getUri().getBaseUri())
                .path(realm.getName()).path("clients-registrations").path(McpClientRegistrationProviderFactory.ID)
                .build().toString();
        return AuthorizationServerMetadata.shapeForMcp(metadata, OIDCWellKnownProviderFactory.PROVIDER_ID.equals(stockProviderId),
                new AuthorizationServerMetadata.McpOffer(registrationEndpoint, McpRealm.mcpScopes(realm).map(ClientScopeModel::getName).toList(),
                        OfflineAccess.isOffered(realm), RegistrationRequest.tokenEndpointAuthMethods(settings),
                        McpRealm.acceptsMetadataDocuments(realm), settings.deviceGrant(), settings.clientCredentials(),
                        TrustedIdps.any(session, realm)));
    }

    /** RFC 8414 path-insertion form: {@code /.well-known/<alias>/realms/<realm>}. */
    private boolean isRootForm() {
        String path = session.getContext().getUri().getPath();
        return path.startsWith("/.well-known/") || path.startsWith(".well-known/");
    }

    @Override
    public void close() {
    }
}
