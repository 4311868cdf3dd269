package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.EventRepresentation;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;
import dev.keycloakmcp.it.support.ReaperLog;

/** Unused self-registered MCP clients go away by themselves, and admins can see who came and went. */
@McpStackTest
class HousekeepingIT {

    private static McpStack stack;
    private static RealmAdmin admin;

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
    }

    @Test
    void unusedClientsAreRemovedAndClientsInUseAreKept() throws Exception {
        McpOAuthClient idle = McpOAuthClient.register(stack, "Idle MCP client");
        McpOAuthClient busy = McpOAuthClient.register(stack, "Busy MCP client");
        // A client made from its metadata document at its first authorization request, then never used.
        String documentUrl = stack.documents.publish(ClientDocuments.vsCode().document());
        McpOAuthClient fromDocument = McpOAuthClient.identifiedByDocument(stack, documentUrl, "http://127.0.0.1:33418/");
        new HttpSignInPage(fromDocument.http, fromDocument.authorize(fromDocument.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        assertTrue(admin.client(documentUrl).isPresent());
        // Both hold offline tokens (MCP clients ask for offline_access): refreshing one counts as use; a removed client's is gone.
        String refreshToken = offlineRefreshToken(busy);
        String idleToken = offlineRefreshToken(idle);

        admin.setRegistrationPolicy("unused-client-lifespan", "4");
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while ((admin.client(idle.clientId).isPresent() || admin.client(documentUrl).isPresent()) && Instant.now().isBefore(deadline)) {
                HttpResponse<String> refreshed = busy.refresh(refreshToken, stack.mcpUrl());
                assertEquals(200, refreshed.statusCode(), refreshed.body());
                refreshToken = (String) Json.object(refreshed.body()).get("refresh_token");
                Thread.sleep(1000);
            }
            assertTrue(admin.client(idle.clientId).isEmpty(), "the idle client is removed");
            assertTrue(admin.client(documentUrl).isEmpty(), "the idle metadata-document client is removed");
            assertTrue(admin.client(busy.clientId).isPresent(), "a client that keeps getting tokens is kept");
            HttpResponse<String> removedClientRefresh = idle.refresh(idleToken, null);
            assertTrue(removedClientRefresh.statusCode() == 400 || removedClientRefresh.statusCode() == 401, removedClientRefresh::body);
        } finally {
            admin.setRegistrationPolicy("unused-client-lifespan", "2592000");
        }

        List<EventRepresentation> removals = admin.events("CLIENT_DELETE");
        EventRepresentation removal = removals.stream().filter(e -> idle.clientId.equals(e.getClientId())).findFirst().orElseThrow();
        Map<String, String> details = removal.getDetails();
        assertEquals("unused", details.get("reason"));
        assertEquals("Idle MCP client", details.get("client_name"));
    }

    /**
     * A pass reads the realm's unused clients a page at a time (100) from the client directory and removes each in a
     * transaction of its own: more than two pages of them go in one pass, which reports what it did.
     */
    @Test
    void aPassRemovesManyUnusedClientsPageByPage() throws Exception {
        int count = 230;
        List<String> idle = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            idle.add(McpOAuthClient.register(stack, "Idle in bulk " + i).clientId);
        }
        // All older than the lifespan when it is set: the next pass finds them all at once.
        Thread.sleep(5000);
        admin.setRegistrationPolicy("unused-client-lifespan", "4");
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (admin.client(idle.get(count - 1)).isPresent() && Instant.now().isBefore(deadline)) {
                Thread.sleep(1000);
            }
        } finally {
            admin.setRegistrationPolicy("unused-client-lifespan", "2592000");
        }
        Set<String> left = admin.clients().stream().map(ClientRepresentation::getClientId).collect(Collectors.toSet());
        assertEquals(List.of(), idle.stream().filter(left::contains).toList(), "unused clients left");
        Pattern pass = ReaperLog.passOver(McpStack.REALM);
        int largestPass = stack.keycloak.logLines("MCP client reaper: realm").stream().map(pass::matcher).filter(Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        assertTrue(largestPass >= count, "one pass removed them all, the largest removed " + largestPass);
    }

    private static String offlineRefreshToken(McpOAuthClient client) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        request.put("scope", "mcp:tools offline_access");
        HttpResponse<String> tokens = client.exchange(client.signInAndConsent(request, "alice", "alice"), pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        String refreshToken = (String) Json.object(tokens.body()).get("refresh_token");
        assertEquals("Offline", AccessTokens.claims(refreshToken).get("typ"));
        return refreshToken;
    }

    @Test
    void registrationsAndRefusalsAreVisibleToAdmins() {
        McpOAuthClient client = McpOAuthClient.register(stack, "Visible MCP client");
        assertTrue(admin.events("CLIENT_REGISTER").stream().anyMatch(e -> client.clientId.equals(e.getClientId())));

        Map<String, Object> hostile = McpOAuthClient.typicalRegistration("Hostile MCP client");
        hostile.put("redirect_uris", List.of("http://evil.example.com/cb"));
        new Http().postJson((String) client.metadata.get("registration_endpoint"), Json.write(hostile));
        EventRepresentation refusal = admin.events("CLIENT_REGISTER_ERROR").stream()
                .filter(e -> "invalid_redirect_uri".equals(e.getError())).findFirst().orElseThrow();
        Map<String, String> details = refusal.getDetails();
        assertTrue(String.valueOf(details.get("reason")).contains("evil.example.com"), details.toString());
        assertEquals("Hostile MCP client", details.get("client_name"));
        assertTrue(refusal.getIpAddress() != null);

        String documentUrl = stack.documents.publish(ClientDocuments.chatGpt().document());
        McpOAuthClient fromDocument = McpOAuthClient.identifiedByDocument(stack, documentUrl, "https://chatgpt.com/connector_platform_oauth_redirect");
        fromDocument.authorize(fromDocument.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        EventRepresentation created = admin.events("CLIENT_REGISTER").stream().filter(e -> documentUrl.equals(e.getClientId())).findFirst().orElseThrow();
        assertEquals("ChatGPT", created.getDetails().get("client_name"));
    }
}
