package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.McpAccessConsole;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * The "MCP access" page in Keycloak's own admin console (the pack's admin theme {@code mcp}), in headless Chromium:
 * an admin of the master realm finds it in the navigation, sees the realm's MCP servers and clients with how each
 * came and who granted them, revokes a client and blocks a host; an admin of the realm with only {@code view-clients}
 * sees the lists and is refused the rest. Takes the screenshots of docs/admin.md under {@code target/screenshots/}.
 */
@McpStackTest
class McpAccessConsoleIT {

    private static McpStack stack;
    private static RealmAdmin admin;

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
        // As docs/admin.md tells operators: the master realm's admin console with the pack's page.
        admin.updateRealm("master", Map.of("adminTheme", "mcp"));
    }

    @Test
    void anAdminSeesWhoHasAccessRevokesAClientAndBlocksAHost() {
        McpOAuthClient registered = McpOAuthClient.register(stack, "Claude Code (console IT)");
        registered.tokensFor(stack.mcpUrl(), "alice", "alice");
        ClientDocument shape = ClientDocuments.vsCode();
        McpOAuthClient document = McpOAuthClient.identifiedByDocument(stack, stack.documents.publish(shape.document()), shape.redirectUri());
        document.tokensFor(stack.mcpUrl(), "alice", "alice");

        try (Browser browser = new Browser("en", 1400, 1100)) {
            McpAccessConsole page = McpAccessConsole.open(browser, stack.keycloak.baseUrl(), "master", "mcp",
                    KeycloakDistribution.ADMIN_USERNAME, KeycloakDistribution.ADMIN_PASSWORD);
            assertTrue(page.waitForClients(), page::message);
            assertTrue(page.serverNames().contains("Sample MCP server"), page.serverNames()::toString);

            String row = page.clientRow(registered.clientId);
            assertTrue(row.contains("Claude Code (console IT)") && row.contains("Registered itself") && row.contains("127.0.0.1"), row);
            String host = URI.create(document.clientId).getHost();
            String documentRow = page.clientRow(document.clientId);
            assertTrue(documentRow.contains("Metadata document from " + host) && documentRow.contains("fetched"), documentRow);

            List<String> grants = page.grants(registered.clientId);
            browser.screenshot("admin-mcp-access");
            assertEquals(1, grants.size(), grants::toString);
            assertTrue(grants.get(0).startsWith("alice") && grants.get(0).contains("Sample MCP server (" + stack.mcpUrl() + ")"), grants::toString);

            String revoked = page.confirm(document.clientId, "revoke");
            assertTrue(revoked.contains("Revoked") && revoked.contains("may not come back"), revoked);
            assertTrue(page.waitForNoRow(document.clientId), "the revoked client leaves the list");
            assertTrue(admin.client(document.clientId).isEmpty(), "and the realm");

            String blocked = page.blockHost("mcp-tools.example");
            assertTrue(blocked.contains("Blocked mcp-tools.example"), blocked);
            assertTrue(page.blockedHosts().contains("mcp-tools.example"), page.blockedHosts()::toString);
            browser.screenshot("admin-mcp-access-blocked");
            assertTrue(page.unblockHost("mcp-tools.example").contains("Unblocked"));

            page.filterByKind("metadata-document");
            assertTrue(page.waitForNoRow(registered.clientId), "the kind filter leaves registered clients out");
        }
    }

    @Test
    void anAdminWithViewClientsOnlySeesButCannotRevoke() {
        admin.createRealmAdmin("mcp", "console-viewer", List.of("view-clients"));
        McpOAuthClient registered = McpOAuthClient.register(stack, "Seen by a viewer (console IT)");
        registered.tokensFor(stack.mcpUrl(), "alice", "alice");

        // The realm's own admin console (the demo realm's admin theme is the pack's).
        try (Browser browser = new Browser("en", 1400, 1100)) {
            McpAccessConsole page = McpAccessConsole.open(browser, stack.keycloak.baseUrl(), "mcp", "mcp", "console-viewer", "console-viewer");
            assertTrue(page.waitForClients(), page::message);
            page.clientRow(registered.clientId);
            page.grants(registered.clientId);
            assertTrue(page.grantsText(registered.clientId).contains("HTTP 403"), () -> page.grantsText(registered.clientId));
            String refused = page.confirm(registered.clientId, "revoke");
            assertTrue(refused.contains("HTTP 403"), refused);
            assertTrue(admin.client(registered.clientId).isPresent(), "nothing changed");
        }
    }
}
