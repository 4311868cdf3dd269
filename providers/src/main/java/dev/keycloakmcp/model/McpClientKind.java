package dev.keycloakmcp.model;

import java.util.Arrays;
import java.util.Optional;

import org.keycloak.models.ClientModel;

/**
 * How an MCP client came to exist. Stored as a client attribute so that the MCP checks (PKCE, resource), the
 * consent page and housekeeping can tell MCP clients from the realm's other clients without per-client setup.
 */
public enum McpClientKind {

    /** Registered itself through the MCP registration endpoint (RFC 7591). */
    DYNAMIC("dynamic"),
    /** Created by an admin and marked as an MCP client by hand. */
    PREREGISTERED("preregistered");

    public static final String ATTRIBUTE = "mcp.client";

    private final String value;

    McpClientKind(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<McpClientKind> of(ClientModel client) {
        if (client == null) {
            return Optional.empty();
        }
        String stored = client.getAttribute(ATTRIBUTE);
        return Arrays.stream(values()).filter(kind -> kind.value.equals(stored)).findFirst();
    }

    public static boolean isMcpClient(ClientModel client) {
        return of(client).isPresent();
    }

    /** A client that registered itself at the MCP endpoint: the ones the cap counts and the reaper may remove. */
    public static boolean isDynamic(ClientModel client) {
        return of(client).filter(kind -> kind == DYNAMIC).isPresent();
    }

    /** A client that registered itself: nobody in the organisation vouched for it. */
    public boolean isSelfRegistered() {
        return this == DYNAMIC;
    }
}
