package dev.keycloakmcp.authorization;

import jakarta.ws.rs.core.MultivaluedMap;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;

/**
 * An authorization request as the pack's rules read it, after Keycloak verified its client and redirect URI, from the
 * entry point the Keycloak line offers: the check SPI (Keycloak 26.7) or the client policy (older lines).
 *
 * @param query    the query string's parameters (PAR and request objects are parsed into {@code request})
 * @param resource the request's {@code resource}, also from PAR and request objects
 */
record McpAuthorizationRequest(RealmModel realm, ClientModel client, AuthorizationEndpointRequest request,
        MultivaluedMap<String, String> query, String redirectUri, String resource) {

    /** Before 26.7 Keycloak keeps an unknown parameter such as {@code resource} among the request's additional ones. */
    static McpAuthorizationRequest of(RealmModel realm, ClientModel client, AuthorizationEndpointRequest request,
            MultivaluedMap<String, String> query, String redirectUri) {
        return new McpAuthorizationRequest(realm, client, request, query, redirectUri,
                request.getAdditionalReqParams().get(OAuth2Constants.RESOURCE));
    }
}
