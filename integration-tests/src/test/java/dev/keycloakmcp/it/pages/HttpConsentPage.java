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

/** The consent page read from its HTML and answered through its real form, as a browser without script would. */
public final class HttpConsentPage extends ConsentPage {

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

    /** The scopes the page asks for, as one text. */
    public String scopesText() {
        return text("mcp-scopes");
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

    @Override
    String text(String id) {
        Element element = page.getElementById(id);
        return element == null ? null : element.text();
    }

    @Override
    List<String> texts(String selector) {
        return page.select(selector).eachText();
    }

    private HttpResponse<String> submit(String button) {
        Element form = page.selectFirst("#kc-oauth form");
        assertNotNull(form);
        String code = form.selectFirst("input[name=code]").attr("value");
        return http.followWithinServer(http.postForm(base.resolve(form.attr("action")).toString(), Map.of("code", code, button, "")));
    }
}
