package dev.keycloakmcp.core;

import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * The MCP servers registered in a realm: clients whose id is the server's canonical URL.
 * Each carries {@value #MARKER_ATTRIBUTE}{@code =true}; the server introspects tokens with that (confidential)
 * client, so its URL is both the RFC 8707 resource and the audience Keycloak checks on introspection. A lookup is a
 * client-id lookup, served by Keycloak's realm cache on every node; the marker keeps out ids that merely look like URLs.
 */
public final class ResourceServers {

    public static final String MARKER_ATTRIBUTE = "mcp.resource.server";

    private ResourceServers() {
    }

    /** The enabled MCP server whose canonical URL equals {@code resource} after canonicalisation. */
    public static Optional<ClientModel> find(RealmModel realm, String resource) {
        return ResourceIndicator.canonical(resource)
                .map(realm::getClientByClientId)
                .filter(ClientModel::isEnabled)
                .filter(client -> Boolean.parseBoolean(client.getAttribute(MARKER_ATTRIBUTE)));
    }

    /** The canonical URL of a registered MCP server. */
    public static String resourceOf(ClientModel server) {
        return server.getClientId();
    }

    /** The name a person sees for the server: its client name, else its URL. */
    public static String displayName(ClientModel server) {
        String name = server.getName();
        return name == null || name.isBlank() ? resourceOf(server) : name;
    }
}
