package dev.keycloakmcp.admin;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.keycloak.models.ClientModel;

import dev.keycloakmcp.cimd.DocumentClients;
import dev.keycloakmcp.core.ClientUsage;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.directory.McpClientEntry;

/**
 * An MCP client as the admin API and the MCP access page show it. Times are epoch seconds; null where unknown.
 *
 * @param id            Keycloak's id of the client (for {@code /admin/realms/{realm}/clients/{id}})
 * @param clientId      its client_id (a document URL for metadata-document clients)
 * @param kind          {@code dynamic}, {@code metadata-document} or {@code preregistered}
 * @param host          the host that published a metadata-document client's document
 * @param redirectHosts the hosts of its redirect URIs
 * @param users         users holding a standing grant to it
 * @param fetched       when a metadata-document client's copy was fetched
 * @param expires       until when that copy is trusted
 */
record McpClientView(String id, String clientId, String name, String kind, String host, List<String> redirectHosts,
        Long created, Long lastUsed, long users, boolean enabled, Long fetched, Long expires) {

    /** A self-registered client with its directory row. */
    static McpClientView of(ClientModel client, McpClientEntry entry, long users) {
        return of(client, entry.getKind(), entry.getHost(), entry.getCreated(), entry.getLastUsed(), users);
    }

    /** A client without a directory row (created by an admin): Keycloak does not record when. */
    static McpClientView of(ClientModel client, long users) {
        return of(client, McpClientKind.of(client).map(McpClientKind::value).orElse(null), null, null,
                boxed(ClientUsage.lastUsed(client)), users);
    }

    private static McpClientView of(ClientModel client, String kind, String host, Long created, Long lastUsed, long users) {
        boolean document = McpClientKind.METADATA_DOCUMENT.value().equals(kind);
        return new McpClientView(client.getId(), client.getClientId(), client.getName(), kind, host,
                redirectHosts(client), created, lastUsed, users, client.isEnabled(),
                document ? boxed(DocumentClients.fetched(client)) : null, document ? boxed(DocumentClients.expires(client)) : null);
    }

    static List<String> redirectHosts(ClientModel client) {
        return client.getRedirectUris().stream().map(McpClientView::hostOf).filter(Objects::nonNull).distinct().sorted().toList();
    }

    private static String hostOf(String redirectUri) {
        try {
            URI uri = URI.create(redirectUri.replace("*", ""));
            String host = uri.getHost();
            return host != null ? host.toLowerCase(Locale.ROOT) : uri.getScheme() == null ? null : uri.getScheme() + ":";
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
