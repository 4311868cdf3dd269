package dev.keycloakmcp.registration;

import org.keycloak.models.RealmModel;

import dev.keycloakmcp.model.McpClientKind;

/**
 * The realm's cap on self-registered MCP clients (registered, or created from metadata documents), apart from
 * Keycloak's own cap on all its clients: a flood of registrations or of document URLs cannot fill the realm.
 */
public final class McpClientCap {

    private McpClientCap() {
    }

    public static boolean isReached(RealmModel realm, RegistrationSettings settings) {
        // The realm's client count is cheap; MCP clients are only counted one by one when the cap is in reach.
        if (settings.maxMcpClients() <= 0 || realm.getClientsCount() < settings.maxMcpClients()) {
            return false;
        }
        return realm.getClientsStream().filter(McpClientKind::isSelfRegistered).count() >= settings.maxMcpClients();
    }

    public static String refusal(RegistrationSettings settings) {
        return "This realm accepts no more than " + settings.maxMcpClients() + " self-registered MCP clients";
    }
}
