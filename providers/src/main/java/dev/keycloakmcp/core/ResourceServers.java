package dev.keycloakmcp.core;

import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

/**
 * The MCP servers registered in a realm. An MCP server is a client whose client id is the server's canonical URL
 * (e.g. {@code https://mcp.example.com/mcp}) and which carries {@value #MARKER_ATTRIBUTE}{@code =true}. The server
 * uses that (confidential) client to introspect tokens, and the URL is then both the RFC 8707 resource and the
 * audience Keycloak checks on introspection. Looking a server up is a client-id lookup, served by Keycloak's
 * realm cache on every node; the marker keeps clients whose id merely looks like a URL out.
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
