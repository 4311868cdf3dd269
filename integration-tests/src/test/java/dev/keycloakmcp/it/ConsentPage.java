package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** The {@code mcp} theme's consent page. */
final class ConsentPage {

    private final Http http;
    private final Document page;
    private final URI base;

    ConsentPage(Http http, HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), () -> "Expected the consent page, got " + response.statusCode() + ": " + response.body());
        this.http = http;
        this.page = Jsoup.parse(response.body());
        this.base = response.uri();
        assertNotNull(page.getElementById("kc-oauth"), () -> "Not a consent page: " + page.title() + "\n" + response.body());
    }

    String title() {
        return text("mcp-grant-title");
    }

    String text(String id) {
        Element element = page.getElementById(id);
        return element == null ? null : element.text();
    }

    org.jsoup.select.Elements select(String cssQuery) {
        return page.select(cssQuery);
    }

    HttpResponse<String> allow() {
        return submit("accept");
    }

    HttpResponse<String> deny() {
        return submit("cancel");
    }

    private HttpResponse<String> submit(String button) {
        Element form = page.selectFirst("#kc-oauth form");
        assertNotNull(form);
        String code = form.selectFirst("input[name=code]").attr("value");
        return http.followWithinServer(http.postForm(base.resolve(form.attr("action")).toString(), Map.of("code", code, button, "")));
    }
}
