package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.RealmModel;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/** How the pack's grants answer a refusal at the token endpoint: recorded in the realm's events and metrics, then JSON with CORS. */
public final class TokenEndpointRefusal {

    private TokenEndpointRefusal() {
    }

    public static CorsErrorResponseException answer(EventBuilder event, Cors cors, RealmModel realm, String checkId, Refusal refusal) {
        event.detail(Details.REASON, refusal.description());
        event.error(refusal.eventError());
        McpMetrics.refused(realm.getName(), McpMetrics.Endpoint.TOKEN, checkId, refusal.eventError());
        return new CorsErrorResponseException(cors, refusal.error(), refusal.description(), Response.Status.fromStatusCode(refusal.status()));
    }
}
