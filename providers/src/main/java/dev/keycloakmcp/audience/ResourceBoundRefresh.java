package dev.keycloakmcp.audience;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.refresh.DefaultRefreshTokenProviderFactory;
import org.keycloak.protocol.oidc.refresh.InitialRefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenContext;
import org.keycloak.protocol.oidc.refresh.RefreshTokenProvider;
import org.keycloak.representations.RefreshToken;

import dev.keycloakmcp.audience.ResourceRequest.InvalidTarget;
import dev.keycloakmcp.model.McpClientKind;

/**
 * Refresh of an MCP client's token that names a {@code resource}: it may only name the MCP server the user
 * authorized, which Keycloak's signed refresh token carries as the audience of the access token it came with
 * ({@code invalid_target} otherwise, before the refresh token is used up). Keycloak has verified the refresh token
 * by then; the refresh itself is Keycloak's default one.
 */
public class ResourceBoundRefresh implements RefreshTokenProvider {

    private final KeycloakSession session;

    ResourceBoundRefresh(KeycloakSession session) {
        this.session = session;
    }

    /** New refresh tokens are Keycloak's. */
    @Override
    public boolean supports(InitialRefreshTokenContext initialRefreshTokenCtx) {
        return false;
    }

    @Override
    public RefreshToken generateRefreshToken(InitialRefreshTokenContext initialRefreshTokenCtx) {
        throw new UnsupportedOperationException("New refresh tokens are made by Keycloak's default provider");
    }

    @Override
    public boolean supports(RefreshTokenContext ctx) {
        return McpClientKind.isMcpClient(ctx.grantContext().getClient())
                && ctx.grantContext().getFormParams().containsKey(OAuth2Constants.RESOURCE)
                && keycloakRefresh().supports(ctx);
    }

    @Override
    public TokenManager.AccessTokenResponseBuilder refreshAccessToken(RefreshTokenContext ctx) throws OAuthErrorException {
        try {
            Optional<String> requested = ResourceRequest.single(ctx.grantContext().getFormParams().get(OAuth2Constants.RESOURCE));
            if (requested.isPresent()) {
                ResourceRequest.requireRegistered(ctx.grantContext().getRealm(), requested.get());
                // The signed refresh token keeps the audience of the token it came with, the authorized server among it.
                String[] issuedFor = ctx.oldRefreshToken().getOriginalAudience();
                ResourceRequest.requireAuthorized(requested.get(), issuedFor == null ? List.of() : Arrays.asList(issuedFor),
                        "A refresh may only keep the resource the user authorized");
            }
        } catch (InvalidTarget refusal) {
            throw new OAuthErrorException(OAuthErrorException.INVALID_TARGET, refusal.getMessage());
        }
        return keycloakRefresh().refreshAccessToken(ctx);
    }

    private RefreshTokenProvider keycloakRefresh() {
        return session.getProvider(RefreshTokenProvider.class, DefaultRefreshTokenProviderFactory.PROVIDER_ID);
    }
}
