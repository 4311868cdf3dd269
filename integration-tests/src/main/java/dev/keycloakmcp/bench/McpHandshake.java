package dev.keycloakmcp.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.Pkce;

/**
 * What a new MCP client and its user go through before the first tool call, one HTTP request after the other as the
 * MCP authorization spec has it, each timed from the client's side. The MCP client and the user's browser are
 * separate user agents (own connections, the browser with Keycloak's cookies), both new for each handshake. The
 * browser's page resources (CSS, scripts) are not fetched.
 */
final class McpHandshake {

    /** The steps, in order. */
    enum Step {
        CHALLENGE("401 from the MCP server"),
        RESOURCE_METADATA("protected resource metadata"),
        SERVER_METADATA("authorization server metadata"),
        REGISTRATION("registration"),
        SIGN_IN_PAGE("authorization request (sign-in page)"),
        SIGN_IN("sign-in POST"),
        CONSENT_PAGE("consent page"),
        CONSENT("consent POST"),
        CODE_EXCHANGE("code exchange"),
        INITIALIZE("MCP initialize (sample introspects)"),
        TOOL_CALL("tools/call whoami");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    private static final String ACCEPT = "application/json, text/event-stream";
    private static final Pattern RESOURCE_METADATA = Pattern.compile("resource_metadata=\"([^\"]*)\"");
    private static final String INITIALIZE = Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
            Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", "bench", "version", "1"))));

    private final Http client = new Http();
    private final Http browser = new Http();
    private final long[] nanos = new long[Step.values().length];

    private McpHandshake() {
    }

    /** One whole handshake against the MCP server at {@code mcpUrl}, signed in as {@code username}; nanoseconds per {@link Step}. */
    static long[] run(String mcpUrl, String username, String password) {
        return new McpHandshake().handshake(mcpUrl, username, password);
    }

    private long[] handshake(String mcpUrl, String username, String password) {
        HttpResponse<String> challenge = timed(Step.CHALLENGE, () -> client.postJson(mcpUrl, INITIALIZE, "Accept", ACCEPT));
        expect(401, challenge);
        Matcher prmUrl = RESOURCE_METADATA.matcher(challenge.headers().firstValue("WWW-Authenticate").orElse(""));
        if (!prmUrl.find()) {
            throw new IllegalStateException("No resource_metadata in the MCP server's challenge: " + challenge.headers().map());
        }
        Map<String, Object> prm = Json.object(expect(200, timed(Step.RESOURCE_METADATA, () -> client.get(prmUrl.group(1)))).body());
        String issuer = (String) ((List<?>) prm.get("authorization_servers")).get(0);
        Map<String, Object> metadata = Json.object(expect(200, timed(Step.SERVER_METADATA, () -> client.get(metadataUrl(issuer)))).body());

        Map<String, Object> registration = Json.object(expect(201, timed(Step.REGISTRATION,
                () -> client.postJson((String) metadata.get("registration_endpoint"), Json.write(registrationBody())))).body());
        String clientId = (String) registration.get("client_id");

        Pkce pkce = Pkce.create();
        String state = UUID.randomUUID().toString();
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", clientId);
        request.put("redirect_uri", TokenEndpointComparison.REDIRECT_URI);
        request.put("scope", "mcp:tools");
        request.put("state", state);
        request.put("code_challenge", pkce.challenge());
        request.put("code_challenge_method", "S256");
        request.put("resource", mcpUrl);
        HttpResponse<String> signInPage = expect(200, timed(Step.SIGN_IN_PAGE,
                () -> browser.followWithinServer(browser.get(metadata.get("authorization_endpoint") + "?" + Http.form(request)))));
        HttpResponse<String> signedIn = timed(Step.SIGN_IN,
                () -> HtmlForm.find(signInPage, "kc-form-login").submit(browser, Map.of("username", username, "password", password)));
        // Keycloak answers the sign-in with a redirect to the consent page (a GET of its own), or with the page itself.
        HttpResponse<String> consentPage = expect(200, signedIn.statusCode() / 100 == 3
                ? timed(Step.CONSENT_PAGE, () -> browser.followWithinServer(signedIn)) : signedIn);
        if (!consentPage.body().contains("id=\"kc-oauth\"")) {
            throw new IllegalStateException("Expected the consent page after signing in as " + username + ", got " + consentPage.uri());
        }
        HttpResponse<String> consented = timed(Step.CONSENT, () -> HtmlForm.find(consentPage, null).submit(browser, Map.of("accept", "")));
        Map<String, String> callback = callback(expect(302, consented));
        if (!state.equals(callback.get("state")) || !issuer.equals(callback.get("iss")) || callback.get("code") == null) {
            throw new IllegalStateException("Unexpected authorization response " + callback);
        }

        HttpResponse<String> tokens = expect(200, timed(Step.CODE_EXCHANGE, () -> client.postForm((String) metadata.get("token_endpoint"),
                Map.of("grant_type", "authorization_code", "client_id", clientId, "code", callback.get("code"),
                        "redirect_uri", TokenEndpointComparison.REDIRECT_URI, "code_verifier", pkce.verifier(), "resource", mcpUrl))));
        String bearer = "Bearer " + Json.object(tokens.body()).get("access_token");

        String session = timed(Step.INITIALIZE, () -> {
            HttpResponse<String> initialized = expect(200, client.postJson(mcpUrl, INITIALIZE, "Accept", ACCEPT, "Authorization", bearer));
            String id = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException("No MCP session"));
            expect(202, client.postJson(mcpUrl, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")),
                    "Accept", ACCEPT, "Authorization", bearer, "Mcp-Session-Id", id));
            return id;
        });
        HttpResponse<String> whoami = expect(200, timed(Step.TOOL_CALL, () -> client.postJson(mcpUrl,
                Json.write(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call", "params", Map.of("name", "whoami", "arguments", Map.of()))),
                "Accept", ACCEPT, "Authorization", bearer, "Mcp-Session-Id", session)));
        if (!whoami.body().contains(username)) {
            throw new IllegalStateException("whoami did not name " + username + ": " + whoami.body());
        }
        return nanos;
    }

    /** RFC 8414's well-known URL of {@code issuer}: the well-known path inserted before the issuer's path. */
    private static String metadataUrl(String issuer) {
        URI uri = URI.create(issuer);
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/.well-known/oauth-authorization-server" + uri.getRawPath();
    }

    /** What a typical MCP client registers (the TypeScript SDK's body, with offline access). */
    private static Map<String, Object> registrationBody() {
        Map<String, Object> body = new LinkedHashMap<>(TokenEndpointComparison.mcpRegistration());
        body.put("client_name", "bench handshake");
        body.put("scope", "openid mcp:tools offline_access");
        return body;
    }

    private static Map<String, String> callback(HttpResponse<String> redirect) {
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        if (!TokenEndpointComparison.REDIRECT_URI.equals(location.getScheme() + "://" + location.getRawAuthority() + location.getRawPath())) {
            throw new IllegalStateException("Redirected elsewhere than the client: " + location);
        }
        Map<String, String> query = new HashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private <T> T timed(Step step, java.util.function.Supplier<T> call) {
        long start = System.nanoTime();
        T result = call.get();
        nanos[step.ordinal()] += System.nanoTime() - start;
        return result;
    }

    private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered " + response.statusCode()
                    + " instead of " + status + ": " + response.body());
        }
        return response;
    }
}
