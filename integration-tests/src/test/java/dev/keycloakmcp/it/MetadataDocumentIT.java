package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;

import dev.keycloakmcp.it.fixtures.ClientDocuments;
import dev.keycloakmcp.it.fixtures.ClientDocuments.ClientDocument;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpErrorPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.DocumentServer.Answer;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.RealmAdmin;

/**
 * Client ID Metadata Documents: MCP clients that identify themselves with the https URL of a document instead of
 * registering. Documents are modelled on those Claude Code, Claude (Desktop and claude.ai), VS Code and ChatGPT
 * publish, served by a local https server the test Keycloak trusts; hostile documents are refused with an error
 * page and leave no client behind.
 */
@McpStackTest
class MetadataDocumentIT {

    private static McpStack stack;
    private static RealmAdmin admin;

    @BeforeAll
    static void setUp() {
        admin = stack.admin;
    }

    private static String publish(String document) {
        return stack.documents.publish(document);
    }

    private static String publish(String document, java.util.function.Function<String, Answer> answer) {
        return stack.documents.publish(document, answer);
    }

    private static String path(String url) {
        return URI.create(url).getRawPath();
    }

    @Test
    void theMetadataAdvertisesMetadataDocuments() {
        for (String document : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
            Map<String, Object> metadata = Json.object(new Http().get(stack.issuer() + document).body());
            assertEquals(Boolean.TRUE, metadata.get("client_id_metadata_document_supported"), document);
        }
    }

    @Compat
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.keycloakmcp.it.fixtures.ClientDocuments#all")
    void eachPublishedShapeSignsInAndCallsATool(ClientDocument shape) {
        String url = publish(shape.document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, shape.redirectUri());
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());

        HttpResponse<String> consent = new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice");
        HttpConsentPage page = new HttpConsentPage(client.http, consent);
        assertEquals(shape.name(), page.clientName());
        assertTrue(page.documentHost().contains("localhost"), page.documentHost());
        assertTrue(page.unverifiedNotice().contains("not been verified by your organisation"), page.unverifiedNotice());
        String code = client.code(page.allow(), request.get("state"));

        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        String accessToken = (String) Json.object(tokens.body()).get("access_token");
        assertEquals(List.of(stack.mcpUrl()), AccessTokens.audience(accessToken));
        assertEquals(url, AccessTokens.claims(accessToken).get("azp"));
        assertEquals("alice", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));

        ClientRepresentation stored = admin.client(url).orElseThrow();
        assertEquals(Boolean.TRUE, stored.isPublicClient());
        assertEquals(Boolean.TRUE, stored.isConsentRequired());
        Map<String, String> attributes = stored.getAttributes();
        assertEquals("metadata-document", attributes.get("mcp.client"));
        assertEquals("S256", attributes.get("pkce.code.challenge.method"));
        assertNull(attributes.get("jwks.url"), "Keycloak is not made to fetch the client's keys");
        assertEquals(1, stack.documents.fetches(path(url)), "fetched once, then served from the client Keycloak stored");
    }

    @Test
    void loopbackOnlyDocumentClientIsFlaggedAndNeedsPkce() {
        ClientDocument claudeCode = ClientDocuments.claudeCode();
        String url = publish(claudeCode.document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, claudeCode.redirectUri());

        HttpResponse<String> noPkce = client.authorize(client.authorizationRequest(null, stack.mcpUrl()));
        assertRefused(noPkce, url, "code_challenge");

        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        HttpConsentPage page = new HttpConsentPage(client.http, new HttpSignInPage(client.http, client.authorize(request)).signIn("alice", "alice"));
        assertTrue(page.loopbackWarning().contains("Claude Code"), page.loopbackWarning());
        String code = client.code(page.allow(), request.get("state"));

        // Once the client exists, Keycloak's own checks and ours apply as to any MCP client.
        HttpResponse<String> again = client.authorize(client.authorizationRequest(null, stack.mcpUrl()));
        assertEquals("invalid_request", McpOAuthClient.redirectQuery(again, client.redirectUri).get("error"));
        assertEquals(200, client.exchange(code, pkce.verifier(), stack.mcpUrl()).statusCode());
    }

    @Test
    void hostileDocumentsAreRefusedAndLeaveNothingBehind() {
        String valid = ClientDocuments.vsCode().document();
        String oversized = valid.replace("\"client_name\"", "\"padding\":\"" + "x".repeat(6000) + "\",\"client_name\"");
        record Case(String url, String redirectUri, String reason) {
        }
        List<Case> cases = List.of(
                new Case(publish(valid.replace("\"client_id\":\"%s\"", "\"client_id\":\"https://vscode.dev/oauth/client-metadata.json\"")),
                        "http://127.0.0.1:33418/", "does not equal the URL"),
                new Case(publish(valid), "http://evil.example.com/cb", "redirect_uri is not one of the metadata document"),
                new Case(publish(valid), "http://127.0.0.1:33418/elsewhere", "redirect_uri is not one of the metadata document"),
                new Case(publish(oversized), "http://127.0.0.1:33418/", "larger than 5120 bytes"),
                new Case(publish(valid, body -> Answer.json(body).delayedBy(Duration.ofMillis(McpStack.DOCUMENT_TIMEOUT_MILLIS + 1500))),
                        "http://127.0.0.1:33418/", "did not answer in time"),
                new Case(publish("<html><body>Sign in</body></html>",
                        body -> new Answer(200, "text/html", body, Map.of(), Duration.ZERO)), "http://127.0.0.1:33418/", "not served as JSON"),
                new Case(publish("{\"client_id\":\"%s\", \"client_name\": ", Answer::json), "http://127.0.0.1:33418/", "not valid JSON"),
                new Case(publish("", body -> new Answer(302, "text/plain", "",
                        Map.of("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"), Duration.ZERO)),
                        "http://127.0.0.1:33418/", "redirects are not followed"),
                new Case("https://167772161/oauth/client-metadata.json", "http://127.0.0.1:33418/", "resolves to a private address"),
                new Case("https://10.0.0.1/oauth/client-metadata.json", "http://127.0.0.1:33418/", "resolves to a private address"),
                new Case("https://[::ffff:169.254.169.254]/latest/meta-data", "http://127.0.0.1:33418/", "link-local address"),
                new Case("http://example.com/oauth/client-metadata.json", "http://127.0.0.1:33418/", "must use https"),
                new Case("https://example.com/", "http://127.0.0.1:33418/", "must have a path"),
                new Case(stack.documents.url("/oauth/missing.json"), "http://127.0.0.1:33418/", "answered HTTP 404"),
                new Case("https://1.1.1.1:99999/oauth/client-metadata.json", "http://127.0.0.1:33418/", "port is out of range"),
                new Case("https://evil.example./oauth/client-metadata.json", "http://127.0.0.1:33418/", "must not end with a dot"),
                new Case(stack.documents.url("/oauth/" + "a".repeat(250) + ".json"), "http://127.0.0.1:33418/", "longer than 255 characters"),
                // The registration endpoint's parser, rules and reasons.
                new Case(publish(valid + " {\"client_id\":\"https://other.example/x\"}"), "http://127.0.0.1:33418/",
                        "The client metadata has data after its JSON object"),
                new Case(publish(valid.replace("\"application_type\"", "\"scope\":5,\"application_type\"")), "http://127.0.0.1:33418/",
                        "The client metadata member 'scope' has the wrong type"),
                new Case(publish(valid.replace("\"Visual Studio Code\"", "\"Visual Studio Code \\ud800\"")), "http://127.0.0.1:33418/",
                        "The client metadata member 'client_name' is not valid Unicode"),
                new Case(publish(valid.replace("\"application_type\"", "\"client_name\":\"VS Code\",\"application_type\"")),
                        "http://127.0.0.1:33418/", "The client metadata has a member more than once"),
                new Case(publish(valid.replace("\"https://vscode.dev/redirect\"", "\"" + stack.issuer() + "/protocol/openid-connect/auth\"")),
                        stack.issuer() + "/protocol/openid-connect/auth", "points at this server itself"),
                new Case(publish(valid.replace("\"https://vscode.dev/redirect\"", "\"https://vscode.dev/redirect?next=x\"")),
                        "https://vscode.dev/redirect?next=x", "must not contain a query"));
        for (Case refused : cases) {
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, refused.url(), refused.redirectUri());
            assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), refused.url(), refused.reason());
        }
    }

    /**
     * Claude Code lists loopback redirect URIs without port, which match any port (RFC 8252) — Keycloak's own too
     * when it runs on this computer: such a request is refused before the client exists.
     */
    @Test
    void aLoopbackRedirectOnKeycloaksOwnPortIsRefused() {
        ClientDocument claudeCode = ClientDocuments.claudeCode();
        String url = publish(claudeCode.document());
        String keycloakPort = String.valueOf(URI.create(stack.keycloak.baseUrl()).getPort());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://localhost:" + keycloakPort + "/callback");
        assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "own origin");
    }

    @Test
    void documentTextOnTheErrorPageIsNeverMarkup() {
        String url = publish(ClientDocuments.vsCode().document()
                .replace("\"http://127.0.0.1:33418/\",", "\"<a href=\\\"https://evil.example/login\\\">Sign in again</a>\","));
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "https://vscode.dev/redirect");
        HttpResponse<String> refused = client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        assertRefused(refused, url, "Malformed redirect URI");
        HttpErrorPage page = new HttpErrorPage(refused);
        assertFalse(page.linksTo("evil.example"), () -> "a link from the document: " + page.message());
    }

    @Compat
    @Test
    void aRefusedDocumentIsNotFetchedAgainAtOnce() {
        String url = stack.documents.url("/oauth/" + java.util.UUID.randomUUID() + "/gone.json");
        for (int attempt = 0; attempt < 2; attempt++) {
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
            assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "answered HTTP 404");
        }
        assertEquals(1, stack.documents.fetches(path(url)));
    }

    @Test
    void aResourceNamingTheClientItselfIsAnInvalidTarget() {
        String url = publish(ClientDocuments.vsCode().document());
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
        assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), url)), url, "is not an MCP server registered in this realm");
        assertEquals(1, stack.documents.fetches(path(url)));
    }

    @Test
    void aBadAuthorizationRequestLeavesNoClientBehind() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        /** A change to a good request ({@code extra} is appended to its query), and the reason it is refused. */
        record Case(String reason, String name, String value, String extra) {
        }
        List<Case> cases = List.of(
                new Case("response_type must be code", "response_type", "token", ""),
                new Case("scope admin-everything is not offered to MCP clients", "scope", "mcp:tools admin-everything", ""),
                new Case("is not an MCP server registered in this realm", "resource", "https://unknown.example.com/mcp", ""),
                new Case("Only one resource may be requested", "resource", stack.mcpUrl(), "&resource=" + Http.enc("https://other.example.com/mcp")),
                new Case("code_challenge_method must be S256", "code_challenge_method", "plain", ""),
                new Case("response_mode must be query", "response_mode", "fragment", ""),
                new Case("response_mode must be query", "response_mode", "form_post", ""));
        for (Case refused : cases) {
            String url = publish(vsCode.document());
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
            Map<String, String> request = client.authorizationRequest(Pkce.create(), stack.mcpUrl());
            request.put(refused.name(), refused.value());
            HttpResponse<String> response = client.http.get(client.metadata.get("authorization_endpoint") + "?" + Http.form(request) + refused.extra());
            assertRefused(response, url, refused.reason());
        }
    }

    @Test
    void urlsLookedUpAnywhereElseAreNeverFetched() {
        String url = publish(ClientDocuments.vsCode().document());
        String path = path(url);
        Http http = new Http();
        Map<String, Object> metadata = Json.object(http.get(stack.issuer() + "/.well-known/oauth-authorization-server").body());
        HttpResponse<String> token = http.postForm((String) metadata.get("token_endpoint"),
                Map.of("grant_type", "authorization_code", "client_id", url, "code", "x", "redirect_uri", "http://127.0.0.1:33418/"));
        assertEquals(401, token.statusCode(), token::body);
        // PAR is not advertised in an MCP realm, but Keycloak still serves it.
        HttpResponse<String> par = http.postForm(stack.issuer() + "/protocol/openid-connect/ext/par/request",
                Map.of("client_id", url, "response_type", "code", "redirect_uri", "http://127.0.0.1:33418/"));
        assertEquals(401, par.statusCode(), par::body);
        HttpResponse<String> introspection = http.postForm((String) metadata.get("introspection_endpoint"),
                Map.of("client_id", url, "token", "x"));
        assertEquals(401, introspection.statusCode(), introspection::body);
        // A registered MCP client's authorization naming the document URL as its MCP server: only invalid_target.
        McpOAuthClient registered = McpOAuthClient.register(stack, "Resource lookup");
        HttpResponse<String> resource = registered.authorize(registered.authorizationRequest(Pkce.create(), url));
        assertEquals("invalid_target", McpOAuthClient.redirectQuery(resource).get("error"));
        assertTrue(admin.client(url).isEmpty(), "the admin API looks the URL up too");
        assertEquals(0, stack.documents.fetches(path), "no endpoint but the authorization endpoint fetches documents");
    }

    /**
     * Two first requests at once: one client, one fetch, no server error. On one node Keycloak runs the lookups of a
     * client id one after another (its realm cache serializes them per key), so the second waits for the first's —
     * fetch included — and then, the new client not being committed yet, gets Keycloak's "Client not found"; the next
     * request works. (Across the nodes of a cluster the creation claim answers such a request with 409.)
     */
    @Test
    void twoFirstRequestsAtOnceMakeOneClient() throws Exception {
        ClientDocument vsCode = ClientDocuments.vsCode();
        String url = publish(vsCode.document(), body -> Answer.json(body).delayedBy(Duration.ofMillis(1500)));
        McpOAuthClient first = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
        McpOAuthClient second = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
        java.util.concurrent.CompletableFuture<HttpResponse<String>> making = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> first.authorize(first.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        Thread.sleep(500);
        HttpResponse<String> meanwhile = second.authorize(second.authorizationRequest(Pkce.create(), stack.mcpUrl()));
        assertEquals(400, meanwhile.statusCode(), meanwhile::body);
        new HttpSignInPage(first.http, making.get());
        assertEquals(1, stack.documents.fetches(path(url)));
        assertEquals(1, admin.realm().clients().findByClientId(url).size());
        new HttpSignInPage(second.http, second.authorize(second.authorizationRequest(Pkce.create(), stack.mcpUrl())));
    }

    @Test
    void rateLimitAndClientCapHoldForDocuments() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        admin.setRegistrationPolicy("registrations-per-minute", "1");
        try {
            // One new client per address and minute: of three at once, at least one is refused (two if no minute ends between).
            int refused = 0;
            for (int attempt = 0; attempt < 3; attempt++) {
                String url = publish(vsCode.document());
                McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
                HttpResponse<String> response = client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl()));
                if (response.statusCode() == 429) {
                    assertRefused(response, url, "too many new MCP clients");
                    refused++;
                } else {
                    new HttpSignInPage(client.http, response);
                }
            }
            assertTrue(refused >= 1, "the rate limit refused none of three new clients");
        } finally {
            admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
        admin.setRegistrationPolicy("max-mcp-clients", "1");
        try {
            String url = publish(vsCode.document());
            McpOAuthClient capped = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
            HttpResponse<String> refused = capped.authorize(capped.authorizationRequest(Pkce.create(), stack.mcpUrl()));
            assertEquals(403, refused.statusCode(), refused::body);
            assertRefused(refused, url, "accepts no more than 1 self-registered MCP clients");
        } finally {
            admin.setRegistrationPolicy("max-mcp-clients", "1000");
        }
    }

    /**
     * One document URL makes one client, so varying a URL's path would make as many clients as paths: each publishing
     * host gets only so many, and each refusal is an event admins can count.
     */
    @Test
    @Compat
    void aHostGetsNoMoreClientsThanItsCap() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        String url = publish(vsCode.document());
        String host = URI.create(url).getHost();
        long fromHost = admin.clients().stream()
                .filter(c -> "metadata-document".equals(c.getAttributes().get("mcp.client")))
                .filter(c -> host.equals(URI.create(c.getClientId()).getHost())).count();
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "max-clients-per-host", List.of(String.valueOf(fromHost + 1)));
        try {
            McpOAuthClient lastWithRoom = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
            new HttpSignInPage(lastWithRoom.http, lastWithRoom.authorize(lastWithRoom.authorizationRequest(Pkce.create(), stack.mcpUrl())));
            assertTrue(admin.client(url).isPresent());

            String another = publish(vsCode.document());
            McpOAuthClient oneTooMany = McpOAuthClient.identifiedByDocument(stack, another, vsCode.redirectUri());
            HttpResponse<String> refused = oneTooMany.authorize(oneTooMany.authorizationRequest(Pkce.create(), stack.mcpUrl()));
            assertEquals(403, refused.statusCode(), refused::body);
            assertRefused(refused, another, "no more than " + (fromHost + 1) + " MCP clients from documents on " + host);
            assertTrue(admin.events("CLIENT_REGISTER_ERROR").stream().anyMatch(e -> another.equals(e.getClientId())
                    && "mcp_host_cap_reached".equals(e.getError())), "the refusal is an event with its own error");

            // The clients the host already has keep working.
            new HttpSignInPage(lastWithRoom.http, lastWithRoom.authorize(lastWithRoom.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "max-clients-per-host", List.of("0"));
        }
    }

    @Test
    void anExpiredCopyIsFetchedAgainAndItsChangesApply() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        // no-store: the copy lives only the realm's minimum, set to 0 here so that the next request fetches again.
        String url = publish(vsCode.document(), body -> Answer.json(body).withHeader("Cache-Control", "no-store"));
        String path = path(url);
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("0"));
        try {
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
            signInAndAllow(client);
            assertEquals(1, stack.documents.fetches(path));

            stack.documents.serve(path, Answer.json(vsCode.document().replace("%s", url).replace("\"Visual Studio Code\"", "\"VS Code Insiders\""))
                    .withHeader("Cache-Control", "no-store"));
            Pkce pkce = Pkce.create();
            Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
            HttpConsentPage page = new HttpConsentPage(client.http, client.http.followWithinServer(client.authorize(request)));
            assertEquals("VS Code Insiders", page.clientName(), "the new name, from the document fetched again");
            assertEquals(2, stack.documents.fetches(path));
            assertEquals("VS Code Insiders", admin.client(url).orElseThrow().getName());

            // The document adds a redirect URI: Keycloak refuses it against the stored copy, which is then fetched
            // again, so the client's next attempt goes through.
            stack.documents.serve(path, Answer.json(vsCode.document().replace("%s", url)
                    .replace("\"https://vscode.dev/redirect\"", "\"https://vscode.dev/redirect\",\"https://insiders.vscode.dev/redirect\""))
                    .withHeader("Cache-Control", "no-store"));
            McpOAuthClient insiders = McpOAuthClient.identifiedByDocument(stack, url, "https://insiders.vscode.dev/redirect");
            HttpResponse<String> refused = insiders.authorize(insiders.authorizationRequest(Pkce.create(), stack.mcpUrl()));
            assertEquals(400, refused.statusCode(), "Keycloak's own check, against the copy it has");
            assertEquals(3, stack.documents.fetches(path), "fetched again after the refusal");
            signInAndAllow(insiders);

            // The document drops the redirect URI in use: the client may no longer receive codes there.
            stack.documents.serve(path, Answer.json(vsCode.document().replace("%s", url).replace("\"http://127.0.0.1:33418/\",", ""))
                    .withHeader("Cache-Control", "no-store"));
            assertErrorPage(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "no longer lists this redirect URI");

            // The document is gone (asked with a redirect URI the stored copy still lists: it was stored without the dropped one).
            McpOAuthClient web = McpOAuthClient.identifiedByDocument(stack, url, "https://vscode.dev/redirect");
            stack.documents.serve(path, new Answer(404, "application/json", "{}", Map.of(), Duration.ZERO));
            assertErrorPage(web.authorize(web.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "answered HTTP 404");
            int fetched = stack.documents.fetches(path);
            // The refusal is remembered for a while: the next attempt gets it without another fetch.
            assertErrorPage(web.authorize(web.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "answered HTTP 404");
            assertEquals(fetched, stack.documents.fetches(path), "a broken document host is not asked again at once");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("300"));
        }
    }

    /** The redirect URI VS Code's document drops in the refresh tests below. */
    private static final String DROPPED_REDIRECT_URI = "https://vscode.dev/redirect";

    /**
     * A VS Code client whose stored copy has already expired (no-store, with the realm's minimum at 0; the caller
     * resets it), made by a request with a redirect URI its document keeps. Returns the client and the document URL.
     */
    private static McpOAuthClient clientWithAnExpiredCopy() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("0"));
        String url = publish(vsCode.document(), body -> Answer.json(body).withHeader("Cache-Control", "no-store"));
        McpOAuthClient listed = McpOAuthClient.identifiedByDocument(stack, url, vsCode.redirectUri());
        new HttpSignInPage(listed.http, listed.authorize(listed.authorizationRequest(Pkce.create(), stack.mcpUrl())));
        assertEquals(1, stack.documents.fetches(path(url)));
        return listed;
    }

    /** VS Code's document at {@code url} without {@link #DROPPED_REDIRECT_URI}, kept an hour. */
    private static Answer withoutDroppedRedirectUri(String url, String name) {
        return Answer.json(ClientDocuments.vsCode().document().replace("%s", url)
                .replace(",\"" + DROPPED_REDIRECT_URI + "\"", "").replace("\"Visual Studio Code\"", "\"" + name + "\""));
    }

    private static HttpResponse<String> authorizeAt(String url, String redirectUri) {
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, redirectUri);
        return client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl()));
    }

    /**
     * A request that arrives while another one fetches an expired copy again is judged against the new copy, never
     * signed in on the old one: the document dropped its redirect URI, so both are refused, with one fetch between them.
     */
    @Test
    void requestDuringARefreshIsJudgedByTheNewCopy() throws Exception {
        try {
            McpOAuthClient listed = clientWithAnExpiredCopy();
            String url = listed.clientId;
            String path = path(url);
            stack.documents.serve(path, withoutDroppedRedirectUri(url, "Visual Studio Code").delayedBy(Duration.ofMillis(1500)));
            java.util.concurrent.CompletableFuture<HttpResponse<String>> refreshing = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> authorizeAt(url, DROPPED_REDIRECT_URI));
            assertTrue(stack.documents.awaitFetches(path, 2, Duration.ofSeconds(20)), "the first request fetches the document");

            HttpResponse<String> meanwhile = authorizeAt(url, DROPPED_REDIRECT_URI);
            assertErrorPage(meanwhile, url, "redirect");
            assertFalse(HttpSignInPage.isShownBy(meanwhile), "no sign-in on the copy that listed the dropped redirect URI");
            assertErrorPage(refreshing.get(), url, "no longer lists this redirect URI");
            assertEquals(2, stack.documents.fetches(path), "the request that arrived meanwhile used the fetch in flight");

            assertErrorPage(authorizeAt(url, DROPPED_REDIRECT_URI), url, "redirect");
            new HttpSignInPage(listed.http, listed.authorize(listed.authorizationRequest(Pkce.create(), stack.mcpUrl())));
            assertEquals(2, stack.documents.fetches(path), "the new copy serves until it expires");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("300"));
        }
    }

    /** Anonymous requests naming a redirect URI the document dropped make Keycloak fetch it once, not once each. */
    @Test
    void droppedRedirectUriRequestsFetchOnce() {
        try {
            String url = clientWithAnExpiredCopy().clientId;
            stack.documents.serve(path(url), withoutDroppedRedirectUri(url, "Visual Studio Code"));
            for (int request = 0; request < 10; request++) {
                assertErrorPage(authorizeAt(url, DROPPED_REDIRECT_URI), url, "redirect");
            }
            assertEquals(2, stack.documents.fetches(path(url)), "one fetch for the ten requests");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("300"));
        }
    }

    /** A copy fetched again is stored even though the request that fetched it is refused. */
    @Test
    void aRefreshedCopyIsStoredEvenWhenItsRequestIsRefused() {
        try {
            McpOAuthClient listed = clientWithAnExpiredCopy();
            String url = listed.clientId;
            stack.documents.serve(path(url), withoutDroppedRedirectUri(url, "VS Code Insiders"));
            assertErrorPage(authorizeAt(url, DROPPED_REDIRECT_URI), url, "no longer lists this redirect URI");
            assertEquals(2, stack.documents.fetches(path(url)));
            assertEquals("VS Code Insiders", admin.client(url).orElseThrow().getName());

            new HttpSignInPage(listed.http, listed.authorize(listed.authorizationRequest(Pkce.create(), stack.mcpUrl())));
            assertEquals(2, stack.documents.fetches(path(url)), "the stored copy serves: no second fetch");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "min-cache-seconds", List.of("300"));
        }
    }

    /** Like the registration endpoint's 429, the error page for a document over the rate says when to try again. */
    @Test
    void theRatePageSaysWhenToRetry() {
        ClientDocument vsCode = ClientDocuments.vsCode();
        admin.setRegistrationPolicy("registrations-per-minute", "1");
        try {
            HttpResponse<String> refused = null;
            // One new client per address and minute: of three, at least one is refused (two if no minute ends between).
            for (int attempt = 0; attempt < 3 && refused == null; attempt++) {
                HttpResponse<String> response = authorizeAt(publish(vsCode.document()), vsCode.redirectUri());
                refused = response.statusCode() == 429 ? response : null;
            }
            HttpResponse<String> page = java.util.Objects.requireNonNull(refused, "the rate limit refused none of three new clients");
            int seconds = Integer.parseInt(page.headers().firstValue("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After")));
            assertTrue(seconds >= 1 && seconds <= 60, "seconds until the minute ends: " + seconds);
            assertTrue(new HttpErrorPage(page).text().contains("retry after " + seconds + " s"), page::body);
        } finally {
            admin.setRegistrationPolicy("registrations-per-minute", "0");
        }
    }

    @Test
    void theAdminsDomainListsDecideWhereDocumentsComeFrom() {
        String url = publish(ClientDocuments.vsCode().document());
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "denied-domains", List.of("localhost"));
        try {
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
            assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "not accepted in this realm");
            assertEquals(0, stack.documents.fetches(path(url)), "refused before any fetch");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "denied-domains", List.of());
        }
        admin.setRegistrationPolicy("mcp-client-metadata-documents", "allowed-domains", List.of("claude.ai", "vscode.dev"));
        try {
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
            assertRefused(client.authorize(client.authorizationRequest(Pkce.create(), stack.mcpUrl())), url, "not among the domains");
        } finally {
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "allowed-domains", List.of());
        }
        McpOAuthClient client = McpOAuthClient.identifiedByDocument(stack, url, "http://127.0.0.1:33418/");
        signInAndAllow(client);
    }

    @Test
    void policySwitchesMetadataDocumentsOnAndOff() {
        String realm = "delta";
        RealmResource delta = admin.realm(realm);
        String policyType = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";
        String storageType = "org.keycloak.storage.client.ClientStorageProvider";
        admin.createRealm(Map.of("realm", realm, "enabled", true, "attributes", Map.of("mcp.enabled", "true")));
        try {
            String issuer = stack.keycloak.issuer(realm);
            assertNull(Json.object(new Http().get(issuer + "/.well-known/oauth-authorization-server").body()).get("client_id_metadata_document_supported"));
            String url = publish(ClientDocuments.vsCode().document());
            McpOAuthClient before = McpOAuthClient.identifiedByDocument(
                    Json.object(new Http().get(issuer + "/.well-known/oauth-authorization-server").body()), url, "http://127.0.0.1:33418/");
            Map<String, String> request = before.authorizationRequest(Pkce.create(), null);
            request.remove("scope");
            HttpResponse<String> notFound = before.authorize(request);
            assertEquals(400, notFound.statusCode(), "an unknown client, as in stock Keycloak");
            assertEquals(0, stack.documents.fetches(path(url)));

            // Clients → Client registration → Anonymous access policies → Add "mcp-client-metadata-documents".
            ComponentRepresentation documentPolicy = new ComponentRepresentation();
            documentPolicy.setName("MCP client metadata documents");
            documentPolicy.setProviderId("mcp-client-metadata-documents");
            documentPolicy.setProviderType(policyType);
            documentPolicy.setSubType("anonymous");
            documentPolicy.setParentId(delta.toRepresentation().getId());
            documentPolicy.setConfig(new MultivaluedHashMap<>());
            try (Response added = delta.components().add(documentPolicy)) {
                assertEquals(201, added.getStatus());
            }
            assertEquals(1, delta.components().query(null, storageType).size(), "the policy brought its client storage");
            Map<String, Object> metadata = Json.object(new Http().get(issuer + "/.well-known/oauth-authorization-server").body());
            assertEquals(Boolean.TRUE, metadata.get("client_id_metadata_document_supported"));
            McpOAuthClient client = McpOAuthClient.identifiedByDocument(metadata, url, "http://127.0.0.1:33418/");
            request = client.authorizationRequest(Pkce.create(), null);
            request.remove("scope"); // this realm has no MCP scopes
            new HttpSignInPage(client.http, client.authorize(request));
            assertEquals(1, delta.clients().findByClientId(url).size(), "the client made from its document");

            // Removing the policy switches them off again, for clients made from documents before too.
            String policyId = delta.components().query(null, policyType).stream()
                    .filter(c -> "mcp-client-metadata-documents".equals(c.getProviderId())).findFirst().orElseThrow().getId();
            // 204, or the admin client throws.
            delta.components().component(policyId).remove();
            assertEquals(0, delta.components().query(null, storageType).size());
            assertErrorPage(client.authorize(request), url, "no longer accepts clients identified by a metadata document");
        } finally {
            // 204 (a realm with metadata documents on can be deleted), or the admin client throws.
            delta.remove();
        }
    }

    @Test
    void aBadDomainEntryIsRefusedInTheConsole() {
        RealmAdmin.Answer answer = admin.trySetRegistrationPolicy("mcp-client-metadata-documents", "allowed-domains",
                List.of("https://claude.ai/"));
        assertEquals(400, answer.status(), answer::body);
        assertTrue(answer.body().contains("Not a domain name"), answer.body());
    }

    private static void signInAndAllow(McpOAuthClient client) {
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, stack.mcpUrl());
        HttpResponse<String> answer = client.http.followWithinServer(client.authorize(request));
        // Signed in already (same browser): straight to the consent page, which a self-registered client always gets.
        HttpResponse<String> consent = HttpSignInPage.isShownBy(answer) ? new HttpSignInPage(client.http, answer).signIn("alice", "alice") : answer;
        String code = client.code(new HttpConsentPage(client.http, consent).allow(), request.get("state"));
        assertEquals(200, client.exchange(code, pkce.verifier(), stack.mcpUrl()).statusCode());
    }

    /** An error page naming {@code reason}, and no client for {@code url}. */
    private static void assertRefused(HttpResponse<String> response, String url, String reason) {
        assertErrorPage(response, url, reason);
        assertTrue(admin.client(url).isEmpty(), () -> url + ": a client was left behind");
    }

    /** A 4xx error page (never a redirect: nothing the document says is trusted) naming {@code reason}. */
    private static void assertErrorPage(HttpResponse<String> response, String url, String reason) {
        assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, () -> url + ": " + response.statusCode() + " " + response.body());
        assertFalse(response.headers().firstValue("Location").isPresent(), url);
        String text = new HttpErrorPage(response).text();
        assertTrue(text.contains(reason), () -> url + ": expected '" + reason + "' in: " + text);
    }
}
