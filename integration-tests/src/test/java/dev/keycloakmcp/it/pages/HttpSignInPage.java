package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import dev.keycloakmcp.it.support.Http;

/** Keycloak's sign-in page, filled in through its real HTML form. */
public final class HttpSignInPage {

    private final Http http;
    private final Document page;
    private final URI base;

    public HttpSignInPage(Http http, HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), () -> "Expected the login page, got " + response.statusCode() + ": " + response.body());
        this.http = http;
        this.page = Jsoup.parse(response.body());
        this.base = response.uri();
    }

    /** Whether {@code response} is the sign-in page (a user already signed in gets the next page at once). */
    public static boolean isShownBy(HttpResponse<String> response) {
        return response.body().contains("kc-form-login");
    }

    /** Submits the credentials; Keycloak's own answer, not followed (for a client whose redirect URI is on Keycloak). */
    public HttpResponse<String> submit(String username, String password) {
        Element form = page.getElementById("kc-form-login");
        assertNotNull(form, () -> "No login form on the page: " + page.title());
        return http.postForm(base.resolve(form.attr("action")).toString(), Map.of("username", username, "password", password));
    }

    /** Submits the credentials; the answer is the next page (consent) or the redirect to the client. */
    public HttpResponse<String> signIn(String username, String password) {
        Element form = page.getElementById("kc-form-login");
        assertNotNull(form, () -> "No login form on the page: " + page.title());
        return http.followWithinServer(http.postForm(base.resolve(form.attr("action")).toString(),
                Map.of("username", username, "password", password)));
    }
}
