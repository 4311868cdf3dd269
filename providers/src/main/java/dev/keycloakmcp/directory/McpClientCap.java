package dev.keycloakmcp.directory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;

/**
 * The caps on clients that make themselves: so many self-registered MCP clients per realm ({@code max-mcp-clients},
 * metadata-document clients included), and so many metadata-document clients per publishing host, so that varying a
 * document URL's path cannot fill the realm. Checked in the {@link McpClientDirectory} in the database, which every
 * node of a cluster shares; requests in flight at the same moment can each see room for one more.
 */
public final class McpClientCap {

    /** The event error of a document refused for its host's cap. */
    public static final String HOST_CAP_EVENT_ERROR = "mcp_host_cap_reached";

    private McpClientCap() {
    }

    /** Refused (403) when the realm holds as many self-registered MCP clients as its cap allows. */
    public static void requireBelowRealmCap(KeycloakSession session, RealmModel realm, McpRealmSettings settings) throws Refusal {
        if (settings.maxMcpClients() > 0 && McpClientDirectory.of(session).holdsAtLeast(realm, settings.maxMcpClients())) {
            throw Refusal.insufficientScope("This realm accepts no more than " + settings.maxMcpClients() + " self-registered MCP clients");
        }
    }

    /** Refused (403) when {@code host} published as many of the realm's metadata-document clients as {@code maxPerHost}. */
    public static void requireBelowHostCap(KeycloakSession session, RealmModel realm, String host, int maxPerHost) throws Refusal {
        if (maxPerHost > 0 && McpClientDirectory.of(session).hostHoldsAtLeast(realm, host, maxPerHost)) {
            throw Refusal.insufficientScope("This realm accepts no more than " + maxPerHost + " MCP clients from documents on " + host)
                    .loggedAs(HOST_CAP_EVENT_ERROR);
        }
    }
}
