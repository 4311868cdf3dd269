package dev.keycloakmcp.registration;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCConfigAttributes;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.clientregistration.AbstractClientRegistrationProvider;
import org.keycloak.services.clientregistration.ClientRegistrationException;
import org.keycloak.services.clientregistration.oidc.DescriptionConverter;
import org.keycloak.services.clientregistration.oidc.OIDCClientRegistrationContext;
import org.keycloak.services.cors.Cors;

import dev.keycloakmcp.directory.McpClientCap;
import dev.keycloakmcp.directory.McpClientDirectory;
import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpClientLimits;
import dev.keycloakmcp.core.McpClientShape;
import dev.keycloakmcp.core.McpRealm;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.McpRealmSetup;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The MCP registration endpoint, {@code /realms/{realm}/clients-registrations/mcp}: RFC 7591 and RFC 7592.
 * A body is checked before anything is stored ({@link RegistrationRequest}) and the client made a safe MCP client
 * ({@link McpClientShape}); then Keycloak's own registration path runs, so that the realm's registration policies
 * ({@code mcp-client-registration} among them) and events apply.
 */
public class McpClientRegistrationProvider extends AbstractClientRegistrationProvider {

    static final String CLIENT_NAME_DETAIL = "client_name";
    private static final String UPDATE_NEEDS_TOKEN = "An update needs this client's registration access token (RFC 7592)";

    public McpClientRegistrationProvider(KeycloakSession session) {
        super(session);
    }

    @OPTIONS
    public Response preflight() {
        return Cors.builder().auth().preflight().allowedMethods("GET", "POST", "PUT", "DELETE", "OPTIONS").add(Response.ok());
    }

    @OPTIONS
    @Path("{clientId}")
    public Response preflightClient() {
        return preflight();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(byte[] body) {
        event.event(EventType.CLIENT_REGISTER);
        requireMcpRealm();
        Cors cors = cors();
        RealmModel realm = session.getContext().getRealm();
        McpRealmSetup.atFirstUse(session, realm);
        McpRealmSettings settings = McpRealmSettings.of(realm);
        try {
            McpClientLimits.takeAttempt(session, realm, session.getContext().getConnection().getRemoteAddr(), settings);
            OIDCClientRepresentation request = readChecked(body, null, settings);
            McpClientCap.requireBelowRealmCap(session, realm, settings);
            ClientRepresentation client = toMcpClient(request, settings);
            client = create(new OIDCClientRegistrationContext(session, client, this, request));
            ClientModel model = realm.getClientByClientId(client.getClientId());
            validateClient(model, request, true);
            McpClientDirectory.of(session).add(realm, model);
            URI location = registrationClientUri(model);
            OIDCClientRepresentation response = asRegistered(client, model);
            response.setClientIdIssuedAt(Time.currentTime());
            McpMetrics.registered(realm.getName(), McpClientKind.DYNAMIC.value());
            return cors.add(Response.created(location).entity(response));
        } catch (Refusal refusal) {
            throw refuseRegistration(refusal);
        } catch (ClientRegistrationException e) {
            throw refuseRegistration(Refusal.invalidClientMetadata(e.getMessage()));
        } catch (ErrorResponseException e) {
            // Keycloak's own refusal (a registration policy of the realm), already in the realm's events.
            McpMetrics.registrationRefused(realm.getName(), McpClientKind.DYNAMIC.value(), oauthError(e));
            throw e;
        }
    }

    @GET
    @Path("{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response read(@PathParam("clientId") String clientId) {
        event.event(EventType.CLIENT_INFO);
        requireMcpRealm();
        Cors cors = cors();
        ClientModel model = session.getContext().getRealm().getClientByClientId(clientId);
        ClientRepresentation client = get(model);
        return cors.add(Response.ok(asRegistered(client, model)));
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response replace(@PathParam("clientId") String clientId, byte[] body) {
        event.event(EventType.CLIENT_UPDATE).client(clientId);
        requireMcpRealm();
        Cors cors = cors();
        requireUpdateCredentials(session.getContext().getRealm().getClientByClientId(clientId));
        McpRealmSettings settings = McpRealmSettings.of(session.getContext().getRealm());
        try {
            OIDCClientRepresentation request = readChecked(body, clientId, settings);
            ClientRepresentation client = toMcpClient(request, settings);
            client = update(clientId, new OIDCClientRegistrationContext(session, client, this, request));
            ClientModel model = session.getContext().getRealm().getClientByClientId(client.getClientId());
            validateClient(model, request, false);
            return cors.add(Response.ok(asRegistered(client, model)));
        } catch (Refusal refusal) {
            throw answer(refusal);
        } catch (ClientRegistrationException e) {
            throw answer(Refusal.invalidClientMetadata(e.getMessage()));
        }
    }

    @DELETE
    @Path("{clientId}")
    public Response remove(@PathParam("clientId") String clientId) {
        event.event(EventType.CLIENT_DELETE).client(clientId);
        requireMcpRealm();
        Cors cors = cors();
        delete(clientId);
        return cors.add(Response.noContent());
    }

    /** Keycloak's client model of an accepted request, made safe. */
    private ClientRepresentation toMcpClient(OIDCClientRepresentation request, McpRealmSettings settings)
            throws ClientRegistrationException {
        ClientRepresentation client = DescriptionConverter.toInternal(session, request);
        McpClientShape.apply(session.getContext().getRealm(), client, RegistrationRequest.isConfidential(request, settings), McpClientKind.DYNAMIC);
        return client;
    }

    /**
     * Parses and checks a body before anything is stored, and keeps only the members an MCP client may set (also
     * for Keycloak's own validation, which would otherwise fetch a sector identifier URI, for example);
     * {@code updatedClientId} is null for a registration.
     */
    private OIDCClientRepresentation readChecked(byte[] body, String updatedClientId, McpRealmSettings settings) throws Refusal {
        OIDCClientRepresentation request = RegistrationRequest.parse(body);
        if (request.getClientName() != null) {
            // Admins see who registered (or tried to) in the realm's events; a hostile name is cut short there.
            String name = request.getClientName();
            event.detail(CLIENT_NAME_DETAIL, name.length() > 100 ? name.substring(0, 100) + "…" : name);
        }
        try {
            RegistrationRequest.check(request, updatedClientId, settings, KeycloakOrigins.of(session));
        } catch (Refusal refusal) {
            event.detail(Details.REDIRECT_URI, request.getRedirectUris() == null ? null : String.join(" ", request.getRedirectUris()));
            throw refusal;
        }
        return RegistrationRequest.asMcpClient(request, settings);
    }

    /**
     * The client as registered, for the response to a registration, read or update: what the client sent, in the
     * form it may send back unchanged in an update (RFC 7592 §2.2), without Keycloak's internal forms — {@code code}
     * alone as response type (Keycloak adds {@code none}, which a registration may not ask for), the redirect URIs
     * without the port-less loopback forms the pack stored beside them, and post-logout redirect URIs only if the client
     * registered some (Keycloak shows its redirect URIs otherwise).
     */
    private OIDCClientRepresentation asRegistered(ClientRepresentation client, ClientModel model) {
        OIDCClientRepresentation response = DescriptionConverter.toExternalResponse(session, client, registrationClientUri(model));
        response.setResponseTypes(List.copyOf(RegistrationRequest.RESPONSE_TYPES));
        response.setRedirectUris(McpClientShape.asRegistered(response.getRedirectUris(), model.getAttribute(McpClientShape.ANY_PORT_FORMS_ATTRIBUTE)));
        if (model.getAttribute(OIDCConfigAttributes.POST_LOGOUT_REDIRECT_URIS) == null) {
            response.setPostLogoutRedirectUris(null);
        }
        return response;
    }

    /**
     * An update must come with the client's registration access token (RFC 7592 §2.2); without it, or with another
     * client's, it is refused with 401 before its body is looked at, so that an unauthenticated caller learns nothing
     * from it. An admin's access token passes only with Keycloak's client-admin roles (403 otherwise); whether it may
     * update is then Keycloak's decision, with the realm's policies, after the body. Keycloak's view check decides
     * which token is which on every line (the token resolution the pack used before exists only in Keycloak 26.7).
     */
    private void requireUpdateCredentials(ClientModel client) {
        // Keycloak's 401 (invalid_token) or 403, each recorded in the realm's events.
        auth.requireView(client);
        // Keycloak before 26.7 also accepts a disabled client's own token here.
        if (auth.isRegistrationAccessToken() && (client == null || !client.isEnabled())) {
            throw answer(Refusal.invalidToken(UPDATE_NEEDS_TOKEN).loggedAs(Errors.INVALID_TOKEN));
        }
    }

    private ErrorResponseException refuseRegistration(Refusal refusal) {
        McpMetrics.registrationRefused(session.getContext().getRealm().getName(), McpClientKind.DYNAMIC.value(), refusal.eventError());
        return answer(refusal);
    }

    /** The OAuth error code of Keycloak's answer; {@code other} if it has none (a tag value from a fixed set). */
    private static String oauthError(ErrorResponseException e) {
        Object entity = e.getResponse().getEntity();
        String error = entity instanceof OAuth2ErrorRepresentation oauth ? oauth.getError() : null;
        return error != null && error.matches("[a-z_]{1,40}") ? error : "other";
    }

    /**
     * How this endpoint answers a refusal: recorded in the realm's events and metrics, then RFC 7591 §3.2.2 JSON
     * ({@code error}, {@code error_description}) with the refusal's status and {@code Retry-After}.
     */
    private ErrorResponseException answer(Refusal refusal) {
        event.detail(Details.REASON, refusal.description()).error(refusal.eventError());
        McpMetrics.refused(session.getContext().getRealm().getName(), McpMetrics.Endpoint.REGISTRATION, "", refusal.eventError());
        Response.ResponseBuilder response = Response.status(refusal.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(refusal.error(), refusal.description()));
        refusal.retryAfter().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, seconds));
        return new ErrorResponseException(response.build());
    }

    private void requireMcpRealm() {
        if (!McpRealm.isEnabled(session.getContext().getRealm())) {
            throw new ErrorResponseException("invalid_request", "MCP client registration is not enabled for this realm",
                    Response.Status.NOT_FOUND);
        }
    }

    private Cors cors() {
        return RegistrationCors.of(session.getContext().getRealm(), this);
    }

    /** What Keycloak 26.7's registration policies and the caller's token allow (Keycloak 26.5+ only). */
    List<String> allowedOrigins() {
        return getAllowedOrigins();
    }

    private URI registrationClientUri(ClientModel client) {
        RealmModel realm = session.getContext().getRealm();
        return Urls.realmBase(session.getContext().getUri().getBaseUri()).path(realm.getName())
                .path("clients-registrations").path(McpClientRegistrationProviderFactory.ID).path(client.getClientId())
                .build();
    }
}
