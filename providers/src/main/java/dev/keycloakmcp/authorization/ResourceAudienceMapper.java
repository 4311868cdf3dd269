package dev.keycloakmcp.authorization;

import java.util.ArrayList;
import java.util.List;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

import dev.keycloakmcp.core.ResourceServers;

/**
 * The {@code mcp-resource-audience} mapper: the MCP server the user authorized goes into the access token's {@code aud}.
 * It lives in a realm default client scope, so every client gets it with no per-client configuration. The server
 * comes from the token request itself ({@link AuthorizedResource}); MCP clients' resources are checked by
 * {@link ResourceRequest}. Deliberately not an introspection mapper: introspection must report the audience signed
 * into the token, which Keycloak copies; re-deriving it would let a later authorization make an older token acceptable.
 */
public class ResourceAudienceMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper {

    public static final String ID = "mcp-resource-audience";

    private static final List<ProviderConfigProperty> CONFIG = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG, ResourceAudienceMapper.class);
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        if (!(token instanceof AccessToken)) {
            return;
        }
        RealmModel realm = session.getContext().getRealm();
        AuthorizedResource.of(session).stream()
                .flatMap(resource -> ResourceServers.find(realm, resource).stream())
                .forEach(server -> token.addAudience(ResourceServers.resourceOf(server)));
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "MCP resource audience";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds the MCP server the user authorized (RFC 8707 'resource' parameter, its canonical URL) "
                + "to the access token audience.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
