package dev.keycloakmcp.bench;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keycloakmcp.it.support.Http;

/**
 * A form of one of Keycloak's pages (sign-in, consent), read from the HTML as text (the benchmarks run without an
 * HTML parser): where it posts and its hidden {@code code} field, which the consent form carries.
 */
record HtmlForm(String action, Map<String, String> hidden) {

    private static final String CODE_FIELD = "name=\"code\" value=\"";

    /** The form with id {@code formId} on {@code page}, or its first form when {@code formId} is null. */
    static HtmlForm find(HttpResponse<String> page, String formId) {
        String html = page.body();
        int formAt = formId == null ? html.indexOf("<form") : html.indexOf("id=\"" + formId + "\"");
        if (formAt < 0) {
            throw new IllegalStateException("No form " + (formId == null ? "" : formId + " ") + "on " + page.uri() + " (" + page.statusCode() + ")");
        }
        int actionAt = html.indexOf("action=\"", formAt) + 8;
        String action = html.substring(actionAt, html.indexOf('"', actionAt)).replace("&amp;", "&");
        Map<String, String> hidden = new LinkedHashMap<>();
        int codeAt = html.indexOf(CODE_FIELD, formAt);
        if (codeAt > 0) {
            int valueAt = codeAt + CODE_FIELD.length();
            hidden.put("code", html.substring(valueAt, html.indexOf('"', valueAt)));
        }
        return new HtmlForm(page.uri().resolve(action).toString(), hidden);
    }

    /** POSTs {@code fields} and the hidden ones; Keycloak's answer, not followed. */
    HttpResponse<String> submit(Http http, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.putAll(hidden);
        return http.postForm(action, form);
    }
}
