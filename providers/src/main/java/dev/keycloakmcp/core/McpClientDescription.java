package dev.keycloakmcp.core;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The description of a self-registered MCP client: how it identified itself and which MCP servers users granted it.
 * Keycloak shows it to users in the Account Console's Applications, next to the client's name, and to admins in the
 * client list, so that five "Claude Code" entries can be told apart and judged.
 */
public final class McpClientDescription {

    /** Keycloak's column for descriptions holds 255 characters. */
    static final int MAX_LENGTH = 255;
    static final String SERVERS = " · MCP servers: ";

    private McpClientDescription() {
    }

    /** The description a new client of {@code kind} gets; empty for clients an admin created. */
    public static Optional<String> of(McpClientKind kind, String clientId) {
        return switch (kind) {
            case DYNAMIC -> Optional.of("MCP client that registered itself (not verified by your organisation)");
            case METADATA_DOCUMENT -> Optional.of("MCP client identified by its metadata document at " + hostOf(clientId));
            case PREREGISTERED, MACHINE -> Optional.empty();
        };
    }

    /** {@code description} naming MCP server {@code serverName} too; unchanged if it does, or if it would grow too long. */
    public static String withServer(String description, String serverName) {
        String current = description == null ? "" : description;
        int servers = current.indexOf(SERVERS);
        if (servers >= 0 && Arrays.asList(current.substring(servers + SERVERS.length()).split(", ")).contains(serverName)) {
            return current;
        }
        String added = servers >= 0 ? current + ", " + serverName : current + SERVERS + serverName;
        return added.length() > MAX_LENGTH ? current : added;
    }

    private static String hostOf(String clientId) {
        try {
            String host = URI.create(clientId).getHost();
            return host == null ? clientId : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notUrl) {
            return clientId;
        }
    }
}
