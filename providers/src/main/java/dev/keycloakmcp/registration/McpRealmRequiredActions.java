package dev.keycloakmcp.registration;

import java.util.List;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.consent.ConsentEveryTimeFactory;
import dev.keycloakmcp.model.McpRequiredAction;
import dev.keycloakmcp.offline.OfflineAccessFallbackFactory;

/** The pack's required actions, which an MCP realm must have before its first self-registered client signs in. */
public final class McpRealmRequiredActions {

    static final List<McpRequiredAction> ALL = List.of(ConsentEveryTimeFactory.ACTION, OfflineAccessFallbackFactory.ACTION);

    private McpRealmRequiredActions() {
    }

    public static void ensureIn(KeycloakSession session, RealmModel realm) {
        McpRequiredAction.ensureIn(session, realm, ALL);
    }
}
