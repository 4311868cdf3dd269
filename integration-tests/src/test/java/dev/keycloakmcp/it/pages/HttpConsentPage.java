package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import dev.keycloakmcp.it.support.Http;

/** The {@code mcp} theme's consent page, read from its HTML and answered through its real form. A text the page does not show is {@code null}. */
public final class HttpConsentPage {

    private final Http http;
    private final Document page;
    private final URI base;

    public HttpConsentPage(Http http, HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), () -> "Expected the consent page, got " + response.statusCode() + ": " + response.body());
        this.http = http;
        this.page = Jsoup.parse(response.body());
        this.base = response.uri();
        assertNotNull(page.getElementById("kc-oauth"), () -> "Not a consent page: " + page.title() + "\n" + response.body());
    }

    /** Whether {@code response} is the consent page (and not already the redirect back to the client). */
    public static boolean isShownBy(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("id=\"kc-oauth\"");
    }

    public String title() {
        return text("mcp-grant-title");
    }

    public String clientName() {
        return text("mcp-client-name");
    }

    /** The notice that the client registered or described itself (nobody in the organisation checked it). */
    public String unverifiedNotice() {
        return text("mcp-unverified");
    }

    /** Where the answer goes: the host of the redirect URI, and what it is. */
    public String redirectHost() {
        return text("mcp-redirect-host");
    }

    /** The MCP server the token will be for. */
    public String resourceUrl() {
        return text("mcp-resource-url");
    }

    /** Where a metadata-document client's document was published. */
    public String documentHost() {
        return text("mcp-document-host");
    }

    /** The warning that a client listening only on this computer can be any program on it. */
    public String loopbackWarning() {
        return text("mcp-loopback-only");
    }

    /** The scopes the page asks for, as one text. */
    public String scopesText() {
        return text("mcp-scopes");
    }

    public List<String> requestedScopes() {
        return page.select("#mcp-scopes li").eachText();
    }

    /** Whether the page has an image that runs script (a client name that became markup would). */
    public boolean hasScriptedImage() {
        return !page.select("img[onerror]").isEmpty();
    }

    public HttpResponse<String> allow() {
        return submit("accept");
    }

    public HttpResponse<String> deny() {
        return submit("cancel");
    }

    private String text(String id) {
        Element element = page.getElementById(id);
        return element == null ? null : element.text();
    }

    private HttpResponse<String> submit(String button) {
        Element form = page.selectFirst("#kc-oauth form");
        assertNotNull(form);
        String code = form.selectFirst("input[name=code]").attr("value");
        return http.followWithinServer(http.postForm(base.resolve(form.attr("action")).toString(), Map.of("code", code, button, "")));
    }
}
