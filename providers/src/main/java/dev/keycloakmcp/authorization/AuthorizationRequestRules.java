package dev.keycloakmcp.authorization;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;

/**
 * What an MCP client's authorization request must be, whoever registered the client.
 * The checks at the authorization endpoint ({@link McpAuthorizationCheck}) apply these rules once Keycloak has parsed
 * the request (PAR and request objects included); for a metadata-document client they also apply before it is created.
 */
public final class AuthorizationRequestRules {

    static final String S256 = "S256";
    static final String QUERY = "query";
    /** What the metadata advertises in {@code response_modes_supported}. */
    public static final List<String> RESPONSE_MODES = List.of(QUERY);

    private AuthorizationRequestRules() {
    }

    /** PKCE with S256 (OAuth 2.1, MCP authorization). */
    public static void requireS256(String codeChallenge, String codeChallengeMethod) throws Refusal {
        if (codeChallenge == null || codeChallenge.isEmpty()) {
            throw Refusal.invalidRequest("Missing parameter: code_challenge (PKCE with S256 is required)").loggedAs(Errors.INVALID_REQUEST);
        }
        if (!S256.equals(codeChallengeMethod)) {
            throw Refusal.invalidRequest("Invalid parameter: code_challenge_method must be S256").loggedAs(Errors.INVALID_REQUEST);
        }
    }

    /**
     * The response in the query of the redirect URI ({@code responseMode} null or {@code query}), the only way MCP
     * clients use (OAuth 2.1, the MCP SDKs). A redirect replaces the query but keeps a fragment (RFC 9110 §10.2.2), so
     * a code in the fragment ({@code fragment}, {@code fragment.jwt}) is carried on by any page that redirects, and the
     * consent page could not say where it ends up; {@code form_post} and the JARM modes are formats no MCP client
     * reads, and one delivery format keeps what is checked small.
     */
    public static void requireQueryResponseMode(String responseMode) throws Refusal {
        if (responseMode != null && !QUERY.equals(responseMode)) {
            throw Refusal.invalidRequest("Invalid parameter: response_mode must be query for MCP clients (the code is returned in the query "
                    + "of the redirect URI)").loggedAs(Errors.INVALID_REQUEST);
        }
    }

    /**
     * The response never goes to one of Keycloak's own origins ({@link KeycloakOrigins}). Registration refuses such
     * redirect URIs already; this also covers clients an admin created, clients registered before, and a loopback
     * redirect URI registered without port, which matches any port (RFC 8252), Keycloak's own too when Keycloak runs
     * on this computer. Shown on an error page: an error sent there would be passed on like a code.
     *
     * @param redirectUri one Keycloak has verified against the client's
     */
    public static void requireRedirectNotToKeycloak(KeycloakSession session, String redirectUri) throws Refusal {
        if (redirectUri == null) {
            return;
        }
        URI uri;
        try {
            uri = URI.create(redirectUri);
        } catch (IllegalArgumentException e) {
            return;
        }
        Optional<String> origin = KeycloakOrigins.of(session).originOf(uri);
        if (origin.isPresent()) {
            throw Refusal.invalidRequest("redirect_uri is on this server's own origin " + origin.get()
                    + ": the answer would go back to Keycloak, not to the client").loggedAs(Errors.INVALID_REDIRECT_URI).notToRedirectUri();
        }
    }

    /**
     * The {@code resource} values name one MCP server registered in the realm ({@code invalid_target} otherwise); with
     * the realm's <em>Require resource</em> setting, there must be one.
     */
    public static void requireMcpServer(RealmModel realm, List<String> resourceValues) throws Refusal {
        Optional<String> resource = ResourceRequest.single(resourceValues);
        if (resource.isEmpty()) {
            if (McpRealmSettings.of(realm).requireResource()) {
                throw Refusal.invalidTarget("The resource parameter (RFC 8707) naming the MCP server is required");
            }
            return;
        }
        ResourceRequest.requireRegistered(realm, resource.get());
    }
}
