package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.HttpErrorPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * The admin API at {@code /admin/realms/{realm}/mcp}: the realm's MCP servers and clients with how each came, its
 * users and grants; revoking a client (tokens end, a document client stays out for a while); blocking a publishing
 * host; Keycloak's admin permissions (403 without them) and admin events for every change.
 */
@McpStackTest
class McpAccessAdminIT {

    private static McpStack stack;
    private static RealmAdmin admin;
    private static String api;

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
        api = stack.keycloak.baseUrl() + "/admin/realms/mcp/mcp";
    }

    private static HttpResponse<String> get(String path, String token) {
        return new Http().get(api + path, "Authorization", "Bearer " + token, "Accept", "application/json");
    }

    private static HttpResponse<String> post(String path, String json, String token) {
        return new Http().send(Http.request(api + path, "Authorization", "Bearer " + token, "Content-Type", "application/json",
                "Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpResponse<String> delete(String path, String token) {
        return new Http().send(Http.request(api + path, "Authorization", "Bearer " + token).DELETE().build());
    }

    private static List<Map<String, Object>> clients(String query) {
        HttpResponse<String> page = get("/clients" + query, admin.accessToken());
        assertEquals(200, page.statusCode(), page::body);
        return Json.array(page.body());
    }

    private static Optional<Map<String, Object>> listed(String query, String clientId) {
        return clients(query).stream().filter(c -> clientId.equals(c.get("clientId"))).findFirst();
    }

    /** A document client with a token for the sample server, granted by alice. */
    private static McpOAuthClient documentClientWithTokens(ClientDocument shape, Map<String, Object>[] tokens) {
        String url = stack.documents.publish(shape.document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, shape.redirectUri());
        tokens[0] = client.tokensFor(stack.mcpUrl(), "alice", "alice");
        return client;
    }

    @Test
    @Compat
    @SuppressWarnings("unchecked")
    void listsServersAndClientsWithHowTheyCameAndWhoGrantedThem() {
        McpOAuthClient registered = McpOAuthClient.register(stack, "Listed by the admin API IT");
        registered.tokensFor(stack.mcpUrl(), "alice", "alice");
        Map<String, Object>[] tokens = new Map[1];
        McpOAuthClient document = documentClientWithTokens(ClientDocuments.vsCode(), tokens);

        HttpResponse<String> summary = get("", admin.accessToken());
        assertEquals(200, summary.statusCode(), summary::body);
        assertEquals(Boolean.TRUE, Json.object(summary.body()).get("enabled"));
        assertEquals(Boolean.TRUE, Json.object(summary.body()).get("documentsAccepted"));

        List<Map<String, Object>> servers = Json.array(get("/servers", admin.accessToken()).body());
        Map<String, Object> sample = servers.stream().filter(s -> stack.mcpUrl().equals(s.get("url"))).findFirst().orElseThrow();
        assertTrue(((List<String>) sample.get("scopes")).contains("mcp:tools"), sample::toString);

        Map<String, Object> dynamic = listed("?kind=dynamic&max=100", registered.clientId).orElseThrow(() -> new AssertionError("not listed"));
        assertEquals("dynamic", dynamic.get("kind"));
        assertEquals("Listed by the admin API IT", dynamic.get("name"));
        assertEquals(List.of("127.0.0.1"), dynamic.get("redirectHosts"));
        assertEquals(1, ((Number) dynamic.get("users")).intValue());
        assertNotNull(dynamic.get("created"));
        assertNotNull(dynamic.get("lastUsed"));
        assertTrue(listed("?kind=metadata-document", registered.clientId).isEmpty(), "the kind filter holds");

        String host = URI.create(document.clientId).getHost();
        Map<String, Object> fromDocument = listed("?kind=metadata-document&host=" + host + "&max=100", document.clientId)
                .orElseThrow(() -> new AssertionError("document client not listed"));
        assertEquals(host, fromDocument.get("host"));
        assertNotNull(fromDocument.get("fetched"));
        assertTrue(((Number) fromDocument.get("expires")).longValue() > ((Number) fromDocument.get("fetched")).longValue());
        assertTrue(listed("?unusedDays=1", registered.clientId).isEmpty(), "used today, so not among the unused");

        List<Map<String, Object>> grants = Json.array(get("/clients/" + dynamic.get("id") + "/grants", admin.accessToken()).body());
        assertEquals(1, grants.size(), grants::toString);
        assertEquals("alice", grants.get(0).get("username"));
        assertEquals(stack.mcpUrl(), grants.get(0).get("server"));


        // Users see the same in the Account Console: how the client identified itself and the MCP server it may use.
        String description = admin.client(document.clientId).orElseThrow().getDescription();
        assertTrue(description.contains("metadata document at " + host), description);
        assertTrue(description.contains("MCP servers: " + sample.get("name")), description);
    }

    @Test
    void pagesAreBoundedAndBadQueriesAreRefused() {
        for (int i = 0; i < 3; i++) {
            McpOAuthClient.register(stack, "Paged by the admin API IT " + i);
        }
        List<Map<String, Object>> first = clients("?kind=dynamic&first=0&max=2");
        List<Map<String, Object>> second = clients("?kind=dynamic&first=2&max=2");
        assertEquals(2, first.size());
        assertFalse(second.isEmpty());
        assertTrue(first.stream().noneMatch(second::contains), "pages do not overlap");
        List<Long> created = java.util.stream.Stream.concat(first.stream(), second.stream())
                .map(c -> ((Number) c.get("created")).longValue()).toList();
        assertEquals(created.stream().sorted(java.util.Comparator.reverseOrder()).toList(), created, "newest first");
        assertTrue(first.get(0).get("name").toString().startsWith("Paged by the admin API IT"), "the newest on top");

        for (String query : List.of("?kind=robot", "?max=1000", "?max=0", "?first=-1", "?unusedDays=soon", "?max=%EF%BC%95")) {
            HttpResponse<String> refused = get("/clients" + query, admin.accessToken());
            assertEquals(400, refused.statusCode(), query);
            assertEquals("invalid_request", Json.object(refused.body()).get("error"), query);
        }
        assertEquals(404, get("/clients/no-such-client", admin.accessToken()).statusCode());
        String ordinary = admin.client("account").orElseThrow().getId();
        assertEquals(404, get("/clients/" + ordinary, admin.accessToken()).statusCode(), "not an MCP client");
        assertEquals(404, post("/clients/" + ordinary + "/revoke", "", admin.accessToken()).statusCode());
        HttpResponse<String> badHost = post("/blocked-hosts", "{\"host\":\"https://evil.example/x\"}", admin.accessToken());
        assertEquals(400, badHost.statusCode(), badHost::body);
        assertEquals(400, post("/blocked-hosts", "{}", admin.accessToken()).statusCode());
    }

    @Test
    @Compat
    @SuppressWarnings("unchecked")
    void revokingADocumentClientEndsItsTokensAndKeepsItOut() {
        Map<String, Object>[] tokens = new Map[1];
        ClientDocument shape = ClientDocuments.claudeCode();
        McpOAuthClient document = documentClientWithTokens(shape, tokens);
        String id = admin.client(document.clientId).orElseThrow().getId();

        HttpResponse<String> revoked = post("/clients/" + id + "/revoke", "", admin.accessToken());
        assertEquals(200, revoked.statusCode(), revoked::body);
        assertNotNull(Json.object(revoked.body()).get("blockedUntil"));

        assertTrue(admin.client(document.clientId).isEmpty(), "the client is removed");
        HttpResponse<String> refresh = document.refresh((String) tokens[0].get("refresh_token"), stack.mcpUrl());
        assertEquals(401, refresh.statusCode(), refresh::body);
        assertEquals("invalid_client", Json.object(refresh.body()).get("error"));
        assertEquals(Boolean.FALSE, introspect((String) tokens[0].get("access_token")).get("active"));

        // Its document does not make a client again while blocked; the refusal is an event with its own error.
        HttpResponse<String> again = document.authorize(document.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        assertEquals(400, again.statusCode(), again::body);
        assertTrue(new HttpErrorPage(again).message().contains("revoked"), again::body);
        assertTrue(admin.events("CLIENT_REGISTER_ERROR").stream().anyMatch(e -> document.clientId.equals(e.getClientId())
                && "mcp_client_revoked".equals(e.getError())));
        assertTrue(Json.array(get("/blocked-clients", admin.accessToken()).body()).stream()
                .anyMatch(b -> document.clientId.equals(b.get("clientId"))));
        assertTrue(adminEvent("DELETE", "clients/" + id).isPresent(), "the revocation is Keycloak's admin event of a removed client");

        // Allowed again: the document makes a client at its next authorization request.
        assertEquals(204, delete("/blocked-clients?clientId=" + Http.enc(document.clientId), admin.accessToken()).statusCode());
        HttpResponse<String> back = document.authorize(document.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        assertTrue(back.statusCode() == 200 || back.statusCode() == 302, back::body);
        assertTrue(admin.client(document.clientId).isPresent());
        assertTrue(adminEvent("DELETE", "mcp/blocked-clients").isPresent());
    }

    @Test
    @SuppressWarnings("unchecked")
    void revokingARegisteredClientRemovesIt() {
        McpOAuthClient registered = McpOAuthClient.register(stack, "Revoked by the admin API IT");
        Map<String, Object> tokens = registered.tokensFor(stack.mcpUrl(), "alice", "alice");
        String id = admin.client(registered.clientId).orElseThrow().getId();
        HttpResponse<String> revoked = post("/clients/" + id + "/revoke", "", admin.accessToken());
        assertEquals(200, revoked.statusCode(), revoked::body);
        assertEquals(null, Json.object(revoked.body()).get("blockedUntil"), "a registered client has no document to block");
        assertTrue(admin.client(registered.clientId).isEmpty());
        assertEquals(401, registered.refresh((String) tokens.get("refresh_token"), stack.mcpUrl()).statusCode(), "the client is unknown now");
        assertEquals(404, post("/clients/" + id + "/revoke", "", admin.accessToken()).statusCode(), "gone");
    }

    @Test
    void twoAdminsRevokingOneClientAtOnceRevokeItOnce() throws Exception {
        McpOAuthClient registered = McpOAuthClient.register(stack, "Revoked twice by the admin API IT");
        String id = admin.client(registered.clientId).orElseThrow().getId();
        String token = admin.accessToken();
        java.util.concurrent.ExecutorService admins = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(admins.submit(() -> post("/clients/" + id + "/revoke", "", token).statusCode()));
            }
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(1, statuses.stream().filter(status -> status == 200).count(), statuses::toString);
            assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 404), statuses::toString);
        } finally {
            admins.shutdownNow();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void blockingAHostRevokesItsClientsAndRefusesItsDocuments() {
        Map<String, Object>[] tokens = new Map[1];
        McpOAuthClient document = documentClientWithTokens(ClientDocuments.chatGpt(), tokens);
        String host = URI.create(document.clientId).getHost();
        try {
            HttpResponse<String> blocked = post("/blocked-hosts", "{\"host\":\"" + host.toUpperCase() + "\"}", admin.accessToken());
            assertEquals(200, blocked.statusCode(), blocked::body);
            Map<String, Object> answer = Json.object(blocked.body());
            assertEquals(host, answer.get("host"));
            assertTrue(((Number) answer.get("revokedClients")).intValue() >= 1, answer::toString);
            assertTrue(admin.client(document.clientId).isEmpty());
            assertEquals(Boolean.FALSE, introspect((String) tokens[0].get("access_token")).get("active"));
            assertTrue(get("/blocked-hosts", admin.accessToken()).body().contains("\"" + host + "\""));
            assertTrue(adminEvent("ACTION", "mcp/blocked-hosts").isPresent());

            HttpResponse<String> again = post("/blocked-hosts", "{\"host\":\"sub." + host + "\"}", admin.accessToken());
            assertEquals(Boolean.TRUE, Json.object(again.body()).get("alreadyBlocked"), "a subdomain of a blocked host is blocked");

            String another = stack.documents.publish(ClientDocuments.vsCode().document());
            McpOAuthClient refused = McpOAuthClient.identifiedByDocument(stack, another, ClientDocuments.vsCode().redirectUri());
            HttpResponse<String> page = refused.authorize(refused.authorizationRequest(Pkce.create(), stack.mcpUrl()));
            assertEquals(400, page.statusCode(), page::body);
            assertTrue(new HttpErrorPage(page).message().contains("not accepted"), page::body);
        } finally {
            assertEquals(204, delete("/blocked-hosts/" + host, admin.accessToken()).statusCode());
        }
        assertEquals(404, delete("/blocked-hosts/" + host, admin.accessToken()).statusCode(), "no longer blocked");
        assertTrue(admin.client(document.clientId).isEmpty());
        HttpResponse<String> back = document.authorize(document.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        assertTrue(back.statusCode() == 200 || back.statusCode() == 302, "unblocked, its clients come back: " + back.body());
    }

    @Test
    void anEntryAnAdminWroteInTheConsoleIsUnblockedByItsDomain() {
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "denied-domains", List.of("*.Wild.Example", "Tools.Example"));
        try {
            HttpResponse<String> covered = post("/blocked-hosts", "{\"host\":\"mcp.wild.example\"}", admin.accessToken());
            assertEquals(Boolean.TRUE, Json.object(covered.body()).get("alreadyBlocked"), covered::body);
            assertEquals(204, delete("/blocked-hosts/wild.example", admin.accessToken()).statusCode());
            assertEquals(204, delete("/blocked-hosts/tools.example", admin.accessToken()).statusCode());
            assertEquals("[]", get("/blocked-hosts", admin.accessToken()).body());
            for (String body : List.of("[]", "42", "\"x\"", "{")) {
                HttpResponse<String> refused = post("/blocked-hosts", body, admin.accessToken());
                assertEquals(400, refused.statusCode(), body);
                assertEquals("invalid_request", Json.object(refused.body()).get("error"), body);
            }
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "denied-domains", List.of());
        }
    }

    @Test
    void anAdminsOwnMcpClientKeepsItsDescriptionAndARemovedUsersGrantGoes() {
        String clientId = "admin-made-mcp-client-" + java.util.UUID.randomUUID();
        admin.createPublicClient(clientId, McpOAuthClient.REDIRECT_URI, Map.of("mcp.client", "preregistered", "pkce.code.challenge.method", "S256"));
        ClientRepresentation made = admin.client(clientId).orElseThrow();
        made.setDescription("Owned by team X, ticket 123");
        admin.realm().clients().get(made.getId()).update(made);
        String userId = admin.createRealmAdmin("mcp", "grant-user-it", List.of());

        // No consent asked (the admin's choice): sign-in gives the code.
        McpOAuthClient client = McpOAuthClient.preregistered(stack, clientId);
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        String code = client.code(new HttpSignInPage(client.http, client.authorize(request)).submit("grant-user-it", "grant-user-it"),
                request.get("state"));
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);

        assertEquals("Owned by team X, ticket 123", admin.client(clientId).orElseThrow().getDescription(), "the admin's description stays");
        Map<String, Object> listed = listed("?kind=preregistered&max=100", clientId).orElseThrow(() -> new AssertionError("not listed"));
        assertEquals("preregistered", listed.get("kind"));
        assertEquals(1, ((Number) listed.get("users")).intValue());
        assertTrue(listed("?unusedDays=0&max=100", clientId).isEmpty(), "the pack records no use of an admin's client: never 'unused'");
        assertEquals(400, post("/clients/" + made.getId() + "/revoke", "", admin.accessToken()).statusCode(), "not revoked here");

        admin.realm().users().get(userId).remove();
        assertEquals(0, ((Number) listed("?kind=preregistered&max=100", clientId).orElseThrow().get("users")).intValue(),
                "a removed user's grant goes with the user");
        assertEquals(List.of(), Json.array(get("/clients/" + made.getId() + "/grants", admin.accessToken()).body()));
    }

    @Test
    @Compat
    void keycloaksAdminPermissionsGuardEveryCall() {
        admin.createRealmAdmin("mcp", "mcp-viewer", List.of("view-clients"));
        admin.createRealmAdmin("mcp", "mcp-nobody", List.of());
        String viewer = realmAdminToken("mcp-viewer");
        String nobody = realmAdminToken("mcp-nobody");
        McpOAuthClient registered = McpOAuthClient.register(stack, "Guarded by the admin API IT");
        String id = admin.client(registered.clientId).orElseThrow().getId();

        assertEquals(200, get("/clients", viewer).statusCode());
        assertEquals(200, get("/servers", viewer).statusCode());
        assertEquals(403, get("/clients/" + id + "/grants", viewer).statusCode(), "grants are about users: view-users too");
        assertEquals(403, post("/clients/" + id + "/revoke", "", viewer).statusCode(), "revoking needs manage-clients");
        assertEquals(403, post("/blocked-hosts", "{\"host\":\"example.org\"}", viewer).statusCode());
        assertEquals(403, delete("/blocked-clients?clientId=x", viewer).statusCode());
        assertTrue(admin.client(registered.clientId).isPresent(), "a refused revocation changes nothing");

        for (String path : List.of("", "/clients", "/servers", "/blocked-hosts", "/blocked-clients")) {
            assertEquals(403, get(path, nobody).statusCode(), path);
        }
        assertEquals(401, new Http().get(api + "/clients").statusCode(), "no token");
    }

    private static String realmAdminToken(String username) {
        HttpResponse<String> tokens = new Http().postForm(stack.issuer() + "/protocol/openid-connect/token",
                Map.of("grant_type", "password", "client_id", "admin-cli", "username", username, "password", username));
        assertEquals(200, tokens.statusCode(), tokens::body);
        return (String) Json.object(tokens.body()).get("access_token");
    }

    private static Map<String, Object> introspect(String accessToken) {
        HttpResponse<String> answer = new Http().postForm(stack.issuer() + "/protocol/openid-connect/token/introspect",
                Map.of("token", accessToken, "client_id", stack.mcpUrl(), "client_secret", "demo-only-sample-server-secret"));
        assertEquals(200, answer.statusCode(), answer::body);
        return Json.object(answer.body());
    }

    private static Optional<AdminEventRepresentation> adminEvent(String operation, String pathStart) {
        return admin.realm().getAdminEvents().stream()
                .filter(e -> operation.equals(e.getOperationType()) && e.getResourcePath() != null && e.getResourcePath().startsWith(pathStart))
                .findFirst();
    }
}
