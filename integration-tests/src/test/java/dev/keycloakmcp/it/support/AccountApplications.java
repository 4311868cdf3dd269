package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import dev.keycloakmcp.it.pages.HttpSignInPage;

/** Keycloak's Account Console REST API (what its Applications page shows and does), as a signed-in user calls it. */
public final class AccountApplications {

    private final McpStack stack;
    private final String token;

    private AccountApplications(McpStack stack, String token) {
        this.stack = stack;
        this.token = token;
    }

    public static AccountApplications of(McpStack stack, String username) {
        return new AccountApplications(stack, consoleToken(stack, username));
    }

    /** An access token of the Account Console for {@code username} (password = username), got as the console gets it. */
    private static String consoleToken(McpStack stack, String username) {
        String redirect = stack.keycloak.baseUrl() + "/realms/mcp/account/";
        McpOAuthClient console = McpOAuthClient.identifiedByDocument(
                Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body()), "account-console", redirect);
        Pkce pkce = Pkce.create();
        Map<String, String> request = console.authorizationRequest(pkce, null);
        request.put("scope", "openid");
        String code = console.code(new HttpSignInPage(console.http, console.authorize(request)).submit(username, username), request.get("state"));
        HttpResponse<String> tokens = console.exchange(code, pkce.verifier(), null);
        assertEquals(200, tokens.statusCode(), tokens::body);
        return (String) Json.object(tokens.body()).get("access_token");
    }

    /** The Applications entry of client {@code clientId}, if listed. */
    public Optional<Map<String, Object>> application(String clientId) {
        HttpResponse<String> applications = new Http().get(stack.issuer() + "/account/applications", "Authorization", "Bearer " + token,
                "Accept", "application/json");
        assertEquals(200, applications.statusCode(), applications::body);
        return Json.array(applications.body()).stream().filter(app -> clientId.equals(app.get("clientId"))).findFirst();
    }

    /** "Remove access" on the Applications page: the consent, offline tokens and the client's sessions of the user end. */
    public HttpResponse<String> removeAccess(String clientId) {
        return new Http().send(Http.request(stack.issuer() + "/account/applications/" + Http.enc(clientId) + "/consent",
                "Authorization", "Bearer " + token, "Accept", "application/json").DELETE().build());
    }
}
