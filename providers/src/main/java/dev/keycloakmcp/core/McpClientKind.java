package dev.keycloakmcp.core;

import java.util.Arrays;
import java.util.Optional;

import org.keycloak.models.ClientModel;

/**
 * How an MCP client came to exist, kept in client attribute {@value #ATTRIBUTE}.
 * The MCP checks, the consent page and housekeeping tell MCP clients from the realm's other clients by it, without
 * per-client setup.
 */
public enum McpClientKind {

    /** Registered itself through the MCP registration endpoint (RFC 7591). */
    DYNAMIC("dynamic"),
    /** Created from the Client ID Metadata Document its URL client_id names, at its first authorization request. */
    METADATA_DOCUMENT("metadata-document"),
    /** Created by an admin and marked as an MCP client by hand. */
    PREREGISTERED("preregistered"),
    /**
     * Created by an admin as an MCP machine client: a confidential client that gets tokens for itself with the
     * {@code client_credentials} grant (no user), for the MCP servers the admin allowed ({@code machine} package).
     */
    MACHINE("machine");

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

    /** A client that came by itself (registration or metadata document): the ones the cap counts and the reaper removes. */
    public static boolean isSelfRegistered(ClientModel client) {
        return of(client).filter(McpClientKind::isSelfRegistered).isPresent();
    }

    /** A client that came by itself: nobody in the organisation vouched for it. */
    public boolean isSelfRegistered() {
        return this == DYNAMIC || this == METADATA_DOCUMENT;
    }
}
