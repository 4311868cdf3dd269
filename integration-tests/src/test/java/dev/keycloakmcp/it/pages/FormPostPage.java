package dev.keycloakmcp.it.pages;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/** The page of a {@code form_post} authorization response: a form that posts the answer to the client by itself. */
public final class FormPostPage {

    private final Element form;

    public FormPostPage(HttpResponse<String> response) {
        this.form = Jsoup.parse(response.body()).selectFirst("form");
        assertNotNull(form, () -> "Neither a redirect nor a form_post answer: " + response.body());
    }

    /** Where the form posts the answer: the client's redirect URI. */
    public String target() {
        return form.attr("action");
    }

    /** The answer's parameters (the form's hidden fields), in order, repeats kept. */
    public Map<String, List<String>> parameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        form.select("input").stream().filter(input -> input.attr("type").equalsIgnoreCase("hidden")).forEach(input ->
                parameters.computeIfAbsent(input.attr("name"), name -> new ArrayList<>()).add(input.attr("value")));
        return parameters;
    }
}
