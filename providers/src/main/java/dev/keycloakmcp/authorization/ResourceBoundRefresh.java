package dev.keycloakmcp.authorization;

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

import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * Keycloak's default refresh, which also keeps the new tokens bound to the MCP server the refresh token was issued for.
 * The audience Keycloak signed into the refresh token (that of its access token) is what {@link AuthorizedResource}
 * holds, whatever other authorizations of the same sign-in happened since (RFC 8707 §2.2). A refresh token issued
 * before Keycloak 26.7 carries the pack's claim instead ({@link AuthorizedResource#REFRESH_CLAIM}), so that an upgrade
 * keeps it. For an MCP client, a {@code resource} in the request must be that server ({@link ResourceRequest}), checked
 * before the refresh token is used up and after Keycloak verified its signature.
 */
class ResourceBoundRefresh implements RefreshTokenProvider {

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

    /** Every refresh Keycloak's default provider would make: any client's token may carry an MCP audience. */
    @Override
    public boolean supports(RefreshTokenContext ctx) {
        String provider = ctx.oldRefreshToken().getProvider();
        return (provider == null || DefaultRefreshTokenProviderFactory.PROVIDER_ID.equals(provider)) && keycloakRefresh().supports(ctx);
    }

    @Override
    public TokenManager.AccessTokenResponseBuilder refreshAccessToken(RefreshTokenContext ctx) throws OAuthErrorException {
        String[] signed = ctx.oldRefreshToken().getOriginalAudience();
        List<String> issuedFor = signed != null ? Arrays.asList(signed) : AuthorizedResource.signedIn(ctx.oldRefreshToken());
        if (McpClientKind.isMcpClient(ctx.grantContext().getClient())) {
            try {
                Optional<String> requested = ResourceRequest.single(ctx.grantContext().getFormParams().get(OAuth2Constants.RESOURCE));
                if (requested.isPresent()) {
                    ResourceRequest.requireRegistered(ctx.grantContext().getRealm(), requested.get());
                    ResourceRequest.requireAuthorized(requested.get(), issuedFor, "A refresh may only keep the resource the user authorized");
                }
            } catch (Refusal refusal) {
                McpMetrics.refused(ctx.grantContext().getRealm().getName(), McpMetrics.Endpoint.TOKEN, ResourceBoundRefreshFactory.ID,
                        refusal.eventError());
                // Keycloak's refresh endpoint answers this with the error and description, as for its own refusals.
                throw new OAuthErrorException(refusal.error(), refusal.description());
            }
        }
        try {
            DpopRequirement.require(session, issuedFor);
        } catch (Refusal refusal) {
            McpMetrics.refused(ctx.grantContext().getRealm().getName(), McpMetrics.Endpoint.TOKEN, ResourceBoundRefreshFactory.ID,
                    refusal.eventError());
            throw new OAuthErrorException(refusal.error(), refusal.description());
        }
        AuthorizedResource.attach(session, issuedFor);
        return keycloakRefresh().refreshAccessToken(ctx);
    }

    private RefreshTokenProvider keycloakRefresh() {
        return session.getProvider(RefreshTokenProvider.class, DefaultRefreshTokenProviderFactory.PROVIDER_ID);
    }
}
