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

/** The {@code mcp} theme's consent page. */
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

    public String title() {
        return text("mcp-grant-title");
    }

    public String text(String id) {
        Element element = page.getElementById(id);
        return element == null ? null : element.text();
    }

    public org.jsoup.select.Elements select(String cssQuery) {
        return page.select(cssQuery);
    }

    public HttpResponse<String> allow() {
        return submit("accept");
    }

    public HttpResponse<String> deny() {
        return submit("cancel");
    }

    private HttpResponse<String> submit(String button) {
        Element form = page.selectFirst("#kc-oauth form");
        assertNotNull(form);
        String code = form.selectFirst("input[name=code]").attr("value");
        return http.followWithinServer(http.postForm(base.resolve(form.attr("action")).toString(), Map.of("code", code, button, "")));
    }
}
