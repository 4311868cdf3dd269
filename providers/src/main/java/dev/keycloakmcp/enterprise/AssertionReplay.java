package dev.keycloakmcp.enterprise;

import org.keycloak.models.KeycloakSession;

import dev.keycloakmcp.core.Refusal;

/**
 * An ID-JAG is used once (RFC 7523 §3 lets the server refuse a replayed {@code jti}; the MCP profile requires it).
 * Its {@code jti} goes into Keycloak's single-use store, the one that keeps authorization codes used once: replicated
 * across the cluster, with an atomic put-if-absent, for as long as the assertion could pass as unexpired. The key names
 * the IdP, whose {@code jti}s are unique only among its own.
 */
final class AssertionReplay {

    static final String KEY_PREFIX = "mcp-id-jag:";

    private AssertionReplay() {
    }

    static void use(KeycloakSession session, String idpAlias, IdentityAssertion assertion, long now) throws Refusal {
        String key = KEY_PREFIX + idpAlias + ":" + assertion.id();
        if (!session.singleUseObjects().putIfAbsent(key, assertion.replayWindow(now))) {
            throw Refusal.invalidGrant("The assertion has been used already").loggedAs("id_jag_replayed");
        }
    }
}
