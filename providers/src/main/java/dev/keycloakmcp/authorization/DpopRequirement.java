package dev.keycloakmcp.authorization;

import java.util.Collection;

import org.keycloak.common.Profile;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.util.DPoPUtil;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceServers;

/**
 * An MCP server that takes DPoP-bound tokens only ({@value #ATTRIBUTE}{@code =true} on its client): no token request
 * gets tokens bound to it without a DPoP proof, whatever the client. Keycloak checks the proof itself at the token
 * endpoint before any grant runs and keeps the validated one as a session attribute
 * ({@link DPoPUtil#DPOP_SESSION_ATTRIBUTE}, the same on 26.2 to 26.7), which then binds the tokens ({@code cnf.jkt}); so
 * this rule only asks whether that attribute is there. Called by every grant that binds tokens to MCP servers, with
 * the servers it is about to bind them to, before the grant uses up its code or refresh token.
 * <p>
 * The answer is {@code invalid_request} (RFC 6749 §5.2: a required parameter is missing), what Keycloak itself answers
 * when a client registered with {@code dpop_bound_access_tokens} sends no proof, so a client sees one error for one
 * cause at this endpoint; RFC 9449's {@code invalid_dpop_proof} is for a proof that is there but invalid, which Keycloak
 * refuses before this runs. Where Keycloak has DPoP off (26.2/26.3 without {@code --features=dpop}) no request can
 * satisfy the rule: it fails closed, and says why.
 */
public final class DpopRequirement {

    /** Client attribute of an MCP server: {@code true} when it takes DPoP-bound tokens only. */
    public static final String ATTRIBUTE = "mcp.dpop.required";
    /**
     * Keycloak's session attribute (26.4+) for a proof that binds only the refresh token, which Keycloak's
     * {@code dpop-bind-enforcer} executor sets for public clients with {@code allow-only-refresh-token-binding}: the access
     * token then stays a Bearer token, which a DPoP-only server must not get.
     */
    static final String REFRESH_TOKEN_BINDING_ONLY = "dpop-binding-only-refresh-token";

    private DpopRequirement() {
    }

    /** Whether the MCP server {@code server} takes DPoP-bound tokens only. */
    public static boolean isRequiredBy(ClientModel server) {
        return Boolean.parseBoolean(server.getAttribute(ATTRIBUTE));
    }

    /**
     * @param resources what this request's tokens are about to be bound to (the {@link AuthorizedResource} values)
     * @throws Refusal {@code invalid_request} when one of them is an MCP server that requires DPoP and the request
     *                 carried no proof Keycloak validated
     */
    public static void require(KeycloakSession session, Collection<String> resources) throws Refusal {
        if (resources.isEmpty() || (session.getAttribute(DPoPUtil.DPOP_SESSION_ATTRIBUTE) != null
                && !Boolean.TRUE.equals(session.getAttribute(REFRESH_TOKEN_BINDING_ONLY)))) {
            return;
        }
        RealmModel realm = session.getContext().getRealm();
        for (String resource : resources) {
            if (ResourceServers.find(realm, resource).filter(DpopRequirement::isRequiredBy).isPresent()) {
                throw Refusal.invalidRequest("The MCP server " + resource + " takes DPoP-bound tokens only: send a DPoP proof (RFC 9449)"
                        + (dpopFeatureOn() ? "" : ", which this Keycloak does not accept until started with --features=dpop"))
                        .loggedAs("invalid_dpop_proof");
            }
        }
    }

    /** Keycloak's {@code dpop} feature: on by default from 26.4, preview (off) on 26.2 and 26.3. */
    private static boolean dpopFeatureOn() {
        return Profile.isFeatureEnabled(Profile.Feature.DPOP);
    }
}
