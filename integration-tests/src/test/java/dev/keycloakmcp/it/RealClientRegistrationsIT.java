package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.InstallScript;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.RunningKeycloak;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.Pkce;

/**
 * The registration bodies real MCP clients send, on a realm set up by {@code realm-config/add-mcp-to-realm.sh} with
 * its defaults (not the demo realm's settings): each is registered (201) with exactly the redirect URIs it sent, as
 * the registration response and the RFC 7592 read show them. The script's default rate (10 registrations a minute
 * per address) holds here: this class registers fewer.
 */
@McpStackTest
class RealClientRegistrationsIT {

    static final String REALM = "clients";
    static final String SERVER_SECRET = "test-only-clients-mcp-server-secret";

    private static McpStack stack;
    private static Map<String, Object> metadata;
    private static String resource;

    @BeforeAll
    static void scriptInstalledRealm() throws Exception {
        stack.admin.createRealm(Map.of("realm", REALM, "enabled", true,
                "users", List.of(Map.of("username", "erin", "enabled", true, "email", "erin@clients.example", "emailVerified", true,
                        "firstName", "Erin", "lastName", "Clients",
                        "credentials", List.of(Map.of("type", "password", "value", "erin", "temporary", false))))));
        resource = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        // The install script with nothing but the required settings (and a known secret).
        InstallScript.run(stack.keycloak, REALM, resource, Map.of("MCP_SERVER_SECRET", SERVER_SECRET));
        metadata = Json.object(new Http().get(RunningKeycloak.metadataUrl(stack.keycloak, REALM)).body());
    }

    /*
     * Where each body comes from (checked 2026-11-30):
     * - VS Code: microsoft/vscode src/vs/base/common/oauth.ts, fetchDynamicRegistration (grant_types: the metadata's
     *   grant_types_supported among authorization_code, refresh_token and device_code; scope: the challenge's).
     * - Cursor (closed source): the one body server authors logged, erp-mafia/accounted#2225 and
     *   different-ai/openwork#3059 (public client, token_endpoint_auth_method none).
     * - Claude.ai / Claude Desktop (closed source): bodies logged in anthropics/claude-code#5826 and server smoke tests;
     *   "claudeai" is its fallback scope, which names nothing here and is ignored.
     * - ChatGPT (closed source): one callback per connector, https://chatgpt.com/connector/oauth/<id>
     *   (BasedHardware/omi#8824, makeplane/plane-mcp-server#165); application_type web (MCP 2026-07-28 DCR clients
     *   send it); name and website as in its Client ID Metadata Document.
     * - Gemini CLI: google-gemini/gemini-cli packages/core/src/mcp/oauth-provider.ts, registerClient (scope "" when
     *   the server config names none).
     * - mcp-remote 0.15.1 (npm tarball, dist/chunk-*.js): NodeOAuthClientProvider.clientMetadata of the proxy, with
     *   the SDK's application_type derived from the loopback redirect URI.
     */
    static Stream<Arguments> realClients() {
        return Stream.of(
                Arguments.of("VS Code", """
                        {"client_name":"Visual Studio Code","client_uri":"https://code.visualstudio.com",
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                         "redirect_uris":["https://insiders.vscode.dev/redirect","https://vscode.dev/redirect","http://127.0.0.1/","http://127.0.0.1:33418/"],
                         "scope":"mcp:tools","token_endpoint_auth_method":"none","application_type":"native"}"""),
                Arguments.of("Cursor", CURSOR),
                Arguments.of("Claude", """
                        {"client_name":"claudeai","redirect_uris":["https://claude.ai/api/mcp/auth_callback","https://claude.com/api/mcp/auth_callback"],
                         "token_endpoint_auth_method":"none","grant_types":["authorization_code","refresh_token"],
                         "response_types":["code"],"scope":"claudeai"}"""),
                Arguments.of("ChatGPT", """
                        {"client_name":"ChatGPT","client_uri":"https://chatgpt.com","redirect_uris":["https://chatgpt.com/connector/oauth/OUbdUMlL15Ct"],
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                         "token_endpoint_auth_method":"none","application_type":"web"}"""),
                Arguments.of("Gemini CLI", """
                        {"client_name":"Gemini CLI MCP Client","redirect_uris":["http://localhost:7777/oauth/callback"],
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                         "token_endpoint_auth_method":"none","scope":""}"""),
                Arguments.of("mcp-remote", """
                        {"redirect_uris":["http://localhost:20445/oauth/callback"],"token_endpoint_auth_method":"none",
                         "grant_types":["authorization_code","refresh_token"],"response_types":["code"],"client_name":"MCP CLI Proxy",
                         "client_uri":"https://github.com/modelcontextprotocol/mcp-cli","software_id":"2e6dc280-f3c3-4e01-99a7-8181dbd1d23d",
                         "software_version":"0.15.1","scope":"mcp:tools","application_type":"native"}"""));
    }

    static final String CURSOR = """
            {"client_name":"Cursor","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",
             "https://www.cursor.com/agents/mcp/oauth/callback","http://localhost:8787/callback"],
             "grant_types":["authorization_code","refresh_token"],"response_types":["code"],"token_endpoint_auth_method":"none"}""";

    private static HttpResponse<String> register(String body) {
        return new Http().postJson((String) metadata.get("registration_endpoint"), body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realClients")
    void registersWithExactlyTheRedirectUrisSent(String client, String body) {
        HttpResponse<String> response = register(body);
        assertEquals(201, response.statusCode(), () -> client + ": " + response.body());
        List<?> sent = (List<?>) Json.object(body).get("redirect_uris");
        Map<String, Object> registered = Json.object(response.body());
        assertSameRedirectUris(sent, registered.get("redirect_uris"));

        // RFC 7592 read: the client is shown what it registered, nothing added, nothing hidden.
        HttpResponse<String> read = new Http().get((String) registered.get("registration_client_uri"),
                "Authorization", "Bearer " + registered.get("registration_access_token"));
        assertEquals(200, read.statusCode(), read::body);
        assertSameRedirectUris(sent, Json.object(read.body()).get("redirect_uris"));
    }

    private static void assertSameRedirectUris(List<?> sent, Object shown) {
        List<?> shownList = (List<?>) shown;
        assertEquals(new TreeSet<>(sent.stream().map(String::valueOf).toList()), new TreeSet<>(shownList.stream().map(String::valueOf).toList()));
        assertEquals(sent.size(), shownList.size(), () -> "shown: " + shownList);
    }

    /** RFC 8252 §7.3: VS Code listens on 33418 when it can, else on another port, which its registration covers. */
    @Test
    void vsCodeSignsInOnAnotherLoopbackPort() {
        String otherPort = "http://127.0.0.1:54321/";
        HttpResponse<String> response = register((String) realClients().findFirst().orElseThrow().get()[1]);
        assertEquals(201, response.statusCode(), response::body);
        McpOAuthClient vsCode = McpOAuthClient.registered(metadata, Json.object(response.body()), otherPort);

        Pkce pkce = Pkce.create();
        Map<String, String> request = vsCode.authorizationRequest(pkce, resource);
        String code = vsCode.signInAndConsent(request, "erin", "erin");
        HttpResponse<String> tokens = vsCode.exchange(code, pkce.verifier(), resource);
        assertEquals(200, tokens.statusCode(), tokens::body);
        assertEquals(List.of(resource), AccessTokens.audience((String) Json.object(tokens.body()).get("access_token")));
    }

    /** One dangerous URI in Cursor's body refuses the whole body, with the standard error, and leaves no client. */
    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(document.cookie)", "http://cursor.evil.example/callback"})
    void oneDangerousUriRefusesTheBodyAndLeavesNoClient(String dangerous) {
        Set<String> before = clientIds(stack.admin.clients());
        Map<String, Object> body = Json.object(CURSOR);
        List<Object> uris = new java.util.ArrayList<>((List<?>) body.get("redirect_uris"));
        uris.add(dangerous);
        body.put("redirect_uris", uris);

        HttpResponse<String> response = register(Json.write(body));
        assertEquals(400, response.statusCode(), response::body);
        assertEquals("invalid_redirect_uri", Json.object(response.body()).get("error"), response::body);
        assertEquals(before, clientIds(stack.admin.clients()));
    }

    private static Set<String> clientIds(List<ClientRepresentation> clients) {
        Set<String> ids = new TreeSet<>();
        clients.forEach(client -> ids.add(client.getClientId()));
        return ids;
    }
}
