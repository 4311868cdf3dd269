package dev.keycloakmcp.cimd;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorPage;
import org.keycloak.services.ErrorPageException;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * How a refused metadata document is answered at the authorization endpoint: an error page, an event and a count.
 * Never a redirect, because nothing the document says is trusted yet (RFC 6749 §4.1.2.1); the event gives admins
 * the full reason.
 */
final class DocumentErrorPage {

    private DocumentErrorPage() {
    }

    /**
     * Reasons may quote the document (a redirect URI, a grant type), and Keycloak's error page renders its message as
     * sanitized HTML, which keeps links — even entity-escaped ones, as it decodes entities first: the page gets the
     * reason without the characters markup needs. (Not being a key of the theme's messages, the text is shown as given.)
     */
    static ErrorPageException of(KeycloakSession session, RealmModel realm, EventBuilder event, Refusal refusal) {
        event.detail(Details.REASON, refusal.description()).error(refusal.eventError());
        McpMetrics.refused(realm.getName(), McpMetrics.Endpoint.METADATA_DOCUMENT, "", refusal.eventError());
        Response.Status status = Response.Status.fromStatusCode(refusal.status());
        String message = asPlainText("The MCP client's metadata document was refused: " + refusal.description());
        if (refusal.retryAfter().isEmpty()) {
            return new ErrorPageException(session, status, message);
        }
        Response page = ErrorPage.error(session, null, status, message);
        return new ErrorPageException(Response.fromResponse(page).header(HttpHeaders.RETRY_AFTER, refusal.retryAfter().getAsInt()).build());
    }

    /** {@code text} without {@code < > & "}: nothing in it can become a tag or an entity. */
    static String asPlainText(String text) {
        return text.replaceAll("[<>&\"]", "");
    }
}
