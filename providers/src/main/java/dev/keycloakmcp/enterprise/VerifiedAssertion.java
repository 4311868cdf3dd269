package dev.keycloakmcp.enterprise;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.keycloak.common.util.Base64Url;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.Urls;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.core.Refusal;

/**
 * An ID-JAG that a trusted IdP signed for this realm and that is current: {@code typ}, signature, claims, lifetime and
 * {@code aud} checked, in that order. What it says of the client, the MCP server, the scopes and the user is for its
 * user to check ({@link IdentityAssertionGrant}, {@link AssertedClient}); single use is the grant's, when it issues.
 */
record VerifiedAssertion(TrustedIdps.Trusted idp, IdentityAssertion assertion) {

    /** A JWS read but not trusted: enough to find the IdP it claims to come from. */
    record Unverified(JWSInput jws, Map<String, Object> claims) {

        static Unverified read(List<String> assertions) throws Refusal {
            if (assertions == null || assertions.size() != 1 || assertions.get(0) == null || assertions.get(0).isBlank()) {
                throw Refusal.invalidRequest("Send one assertion");
            }
            try {
                JWSInput jws = new JWSInput(assertions.get(0));
                @SuppressWarnings("unchecked")
                Map<String, Object> claims = jws.readJsonContent(Map.class);
                if (claims != null) {
                    return new Unverified(jws, claims);
                }
            } catch (JWSInputException | RuntimeException notJws) {
                // Answered below.
            }
            throw Refusal.invalidGrant("The assertion is not a signed JWT");
        }

        /** The trusted IdP whose issuer the assertion names. */
        Optional<TrustedIdps.Trusted> trustedIdp(KeycloakSession session, RealmModel realm) {
            return TrustedIdps.byIssuer(session, realm, claims.get("iss") instanceof String issuer ? issuer : null);
        }

        /** The {@code client_id} it names, unverified: to turn away a request for another client before any key lookup. */
        Optional<String> clientId() {
            return claims.get("client_id") instanceof String clientId ? Optional.of(clientId) : Optional.empty();
        }

        VerifiedAssertion verify(KeycloakSession session, RealmModel realm, TrustedIdps.Trusted idp, long now) throws Refusal {
            IdentityAssertion.requireType(jws.getHeader().getType());
            requireNoCriticalExtensions();
            AssertionSignature.verify(session, realm, idp.config(), idp.settings().algorithms(), jws);
            IdentityAssertion assertion = IdentityAssertion.read(claims);
            assertion.requireTimely(now, idp.settings().maxLifetimeSeconds());
            assertion.requireAudience(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
            return new VerifiedAssertion(idp, assertion);
        }

        /** RFC 7515 §4.1.11: a JWS with extensions it must understand (e.g. an unencoded payload) is refused. */
        private void requireNoCriticalExtensions() throws Refusal {
            Map<?, ?> header;
            try {
                header = JsonSerialization.readValue(Base64Url.decode(jws.getEncodedHeader()), Map.class);
            } catch (IOException | RuntimeException unreadable) {
                throw Refusal.invalidGrant("The assertion is not a signed JWT");
            }
            if (header.containsKey("crit")) {
                throw Refusal.invalidGrant("The assertion's header has critical extensions this server does not support");
            }
        }
    }
}
