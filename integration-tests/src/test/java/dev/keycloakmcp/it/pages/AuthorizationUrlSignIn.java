package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.keycloakmcp.it.support.Http;

/**
 * What a user does with the authorization URL a real MCP client prints: opens it, signs in on Keycloak's page, allows
 * on the consent page, and the browser follows the final redirect to the client's loopback listener.
 */
public final class AuthorizationUrlSignIn {

    private AuthorizationUrlSignIn() {
    }

    /** Signs in and consents; the redirect back to the client (not followed yet), checked to carry a code. */
    public static URI signIn(String authorizationUrl, String username, String password) {
        Http http = new Http();
        HttpResponse<String> next = new HttpSignInPage(http, http.followWithinServer(http.get(authorizationUrl))).signIn(username, password);
        if (HttpConsentPage.isShownBy(next)) {
            next = new HttpConsentPage(http, next).allow();
        }
        HttpResponse<String> answer = next;
        assertEquals(302, answer.statusCode(), () -> "Expected the redirect back to the client, got " + answer.statusCode() + ": " + answer.body());
        URI redirect = answer.uri().resolve(answer.headers().firstValue("Location").orElseThrow());
        String query = redirect.getRawQuery() == null ? "" : redirect.getRawQuery();
        assertTrue(query.contains("code=") && !query.contains("error="), () -> "Keycloak did not grant a code: " + redirect);
        return redirect;
    }

    /** The browser's last hop: the redirect reaches the client's listener, which answers with a page. */
    public static void deliver(URI redirect) {
        assertTrue(java.util.Set.of("localhost", "127.0.0.1").contains(redirect.getHost()), () -> "Not a loopback redirect: " + redirect);
        HttpClient browser = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> page = browser.send(HttpRequest.newBuilder(redirect).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), () -> "The client's callback answered " + page.statusCode() + ": " + page.body());
        } catch (IOException e) {
            throw new AssertionError("The client's callback " + redirect + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
