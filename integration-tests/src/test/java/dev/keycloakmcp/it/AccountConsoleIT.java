package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.AccountApplicationsPage;
import dev.keycloakmcp.it.support.AccountApplications;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.sample.McpSampleServer;

/**
 * What a user sees of their MCP clients in Keycloak's Account Console (Applications): the client's name, how it
 * identified itself and the MCP server it may use; and what "Remove access" there ends: its refresh tokens at once,
 * its access tokens at the MCP server once the server's introspection cache lets go.
 */
@McpStackTest
class AccountConsoleIT {

    private static McpStack stack;

    @Test
    void applicationsSayHowEachMcpClientIdentifiedItselfAndWhichServerItMayUse() {
        McpOAuthClient registered = McpOAuthClient.register(stack, "Claude Code (account IT)");
        registered.tokensFor(stack.mcpUrl(), "alice", "alice");
        ClientDocument shape = ClientDocuments.claude();
        McpOAuthClient document = McpOAuthClient.identifiedByDocument(stack, stack.documents.publish(shape.document()), shape.redirectUri());
        document.tokensFor(stack.mcpUrl(), "alice", "alice");

        AccountApplications applications = AccountApplications.of(stack, "alice");
        Map<String, Object> fromRegistration = applications.application(registered.clientId).orElseThrow(() -> new AssertionError("not listed"));
        assertEquals("Claude Code (account IT)", fromRegistration.get("clientName"));
        String description = (String) fromRegistration.get("description");
        assertTrue(description.startsWith("MCP client that registered itself (not verified by your organisation)"), description);
        assertTrue(description.endsWith("MCP servers: Sample MCP server"), description);

        Map<String, Object> fromDocument = applications.application(document.clientId).orElseThrow(() -> new AssertionError("not listed"));
        assertEquals(shape.name(), fromDocument.get("clientName"));
        assertEquals("MCP client identified by its metadata document at " + URI.create(document.clientId).getHost()
                + " · MCP servers: Sample MCP server", fromDocument.get("description"));

        try (Browser browser = new Browser("en")) {
            String shown = new AccountApplicationsPage(browser, stack.keycloak.baseUrl(), "alice").details("Claude Code (account IT)",
                    "MCP servers: Sample MCP server");
            browser.screenshot("account-console-mcp-applications");
            assertTrue(shown.contains("MCP client that registered itself") && shown.contains("MCP servers: Sample MCP server"), shown);
            assertTrue(shown.contains("Use the tools of the MCP server"), () -> "the MCP scope in words (account theme mcp): " + shown);
        }
    }

    @Test
    @Compat
    void removingAccessEndsRefreshAtOnceAndTheMcpServerRefusesOnceItsCacheLetsGo() throws Exception {
        // A sample server like the stack's, caching introspection answers 2 s.
        try (McpSampleServer server = McpSampleServer.start(McpStack.sampleConfig(stack.keycloak, stack.mcpUrl(),
                KeycloakDistribution.freePort(), Map.of("MCP_TOKEN_CACHE_SECONDS", "2")))) {
            McpOAuthClient client = McpOAuthClient.register(stack, "Removed in the Account Console IT");
            Map<String, Object> tokens = client.tokensFor(stack.mcpUrl(), "alice", "alice");
            String accessToken = (String) tokens.get("access_token");
            McpHttp mcp = new McpHttp("http://localhost:" + server.port() + "/mcp");
            assertEquals(200, mcp.post(accessToken, null, McpHttp.initializeRequest()).statusCode());
            String id = stack.admin.client(client.clientId).orElseThrow().getId();
            assertEquals(1, grants(id).size(), "the admin sees alice's grant");

            AccountApplications applications = AccountApplications.of(stack, "alice");
            HttpResponse<String> removed = applications.removeAccess(client.clientId);
            assertEquals(204, removed.statusCode(), removed::body);

            HttpResponse<String> refresh = client.refresh((String) tokens.get("refresh_token"), stack.mcpUrl());
            assertEquals(400, refresh.statusCode(), refresh::body);
            assertEquals("invalid_grant", Json.object(refresh.body()).get("error"));
            Thread.sleep(2500);
            assertEquals(401, mcp.post(accessToken, null, McpHttp.initializeRequest()).statusCode(),
                    "refused once the server's cache (2 s) let go");
            assertEquals(List.of(), grants(id), "and the admin no longer sees the grant");
        }
    }

    private static List<Map<String, Object>> grants(String id) {
        HttpResponse<String> answer = new Http().get(stack.keycloak.baseUrl() + "/admin/realms/mcp/mcp/clients/" + id + "/grants",
                "Authorization", "Bearer " + stack.admin.accessToken(), "Accept", "application/json");
        assertEquals(200, answer.statusCode(), answer::body);
        return Json.array(answer.body());
    }
}
