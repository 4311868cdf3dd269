package dev.keycloakmcp.enterprise;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;

import dev.keycloakmcp.core.Refusal;

/**
 * Whether a token request is an ID-JAG grant by a client the realm does not know yet, vouched for by a trusted IdP: a
 * metadata-document client (its {@code client_id} a URL) that never signed a user in through this realm's browser flow
 * has no client here yet, and Keycloak looks it up before any grant runs. Only a current assertion that a trusted IdP
 * signed for this realm and for that very {@code client_id} lets its document be fetched there; anything else leaves
 * the lookup to fail as usual ({@code invalid_client}), so the token endpoint fetches nothing for strangers.
 */
public final class AssertedClient {

    private AssertedClient() {
    }

    /** @param form the token request's form parameters */
    public static boolean vouchesFor(KeycloakSession session, RealmModel realm, String clientId, MultivaluedMap<String, String> form) {
        if (!IdentityAssertionGrantFactory.ID.equals(form.getFirst(OAuth2Constants.GRANT_TYPE))
                || !clientId.equals(form.getFirst(OIDCLoginProtocol.CLIENT_ID_PARAM)) || !TrustedIdps.any(session, realm)) {
            return false;
        }
        try {
            VerifiedAssertion.Unverified unverified = VerifiedAssertion.Unverified.read(form.get(IdentityAssertionGrant.ASSERTION));
            TrustedIdps.Trusted idp = unverified.trustedIdp(session, realm).orElse(null);
            return idp != null && idp.settings().publicClients()
                    && clientId.equals(unverified.verify(session, realm, idp, Time.currentTime()).assertion().clientId());
        } catch (Refusal notVouched) {
            return false;
        }
    }
}
