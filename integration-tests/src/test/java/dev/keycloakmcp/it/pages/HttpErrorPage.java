package dev.keycloakmcp.it.pages;

import java.net.http.HttpResponse;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/** Keycloak's error page, as a refused authorization request shows it. */
public final class HttpErrorPage {

    private final Document page;

    public HttpErrorPage(HttpResponse<String> response) {
        this.page = Jsoup.parse(response.body());
    }

    /** What the page says, as text. */
    public String text() {
        return page.text();
    }

    /** Whether the page has a link whose target contains {@code text} (e.g. a host). */
    public boolean linksTo(String text) {
        return !page.select("a[href*=" + text + "]").isEmpty();
    }

    /** The error message element, as HTML (for failure messages). */
    public String message() {
        return String.valueOf(page.select("#kc-error-message"));
    }
}
