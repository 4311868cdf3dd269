package dev.keycloakmcp.registration;

import java.util.List;
import java.util.Set;

import org.keycloak.representations.oidc.OIDCClientRepresentation;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;

/**
 * The rules for an RFC 7591 registration body as MCP clients send it: what an MCP client may ask for.
 * Unlike Keycloak's stock endpoint, members it does not know ({@code resource}, vendor extensions…) are ignored,
 * as RFC 7591 §2 requires ({@link ClientMetadataJson}).
 */
public final class RegistrationRequest {

    /** Grants a public MCP client uses; anything else (implicit, password, client credentials…) is refused. */
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    /** RFC 8628's grant, for agents without a browser: only where the admin allows it ({@link McpRealmSettings#deviceGrant}). */
    public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final Set<String> RESPONSE_TYPES = Set.of("code");
    static final String PUBLIC_CLIENT_AUTH_METHOD = "none";
    /** Secret-based methods, accepted only where the admin allows confidential MCP clients. */
    static final Set<String> SECRET_AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post");
    static final Set<String> APPLICATION_TYPES = Set.of("web", "native");
    /** No honest registration is near this size (bytes); it bounds what is parsed. */
    static final int MAX_BODY_LENGTH = 64 * 1024;
    /** Keycloak's client name and base URL columns hold 255 characters. */
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_URI_LENGTH = 2000;

    private RegistrationRequest() {
    }

    /** Parses the body ({@link ClientMetadataJson}); an empty or oversized one is invalid metadata too. */
    public static OIDCClientRepresentation parse(byte[] body) throws Refusal {
        if (body == null || body.length == 0) {
            throw Refusal.invalidClientMetadata("The registration request has no body");
        }
        if (body.length > MAX_BODY_LENGTH) {
            throw Refusal.invalidClientMetadata("The registration request is larger than " + MAX_BODY_LENGTH + " bytes");
        }
        return ClientMetadataJson.bind(ClientMetadataJson.read(body));
    }

    /**
     * Checks what a self-registering MCP client may ask for; refusals carry RFC 7591 error codes.
     *
     * @param updatedClientId null for a registration (the server assigns client_id); for an RFC 7592 update, the
     *                        client being updated, which the body must name (§2.2)
     * @param settings        what the realm's admin allows
     * @param keycloak        where Keycloak itself answers, which no redirect URI may point at
     */
    public static void check(OIDCClientRepresentation request, String updatedClientId, McpRealmSettings settings,
            KeycloakOrigins keycloak) throws Refusal {
        String applicationType = request.getApplicationType();
        if (applicationType != null && !APPLICATION_TYPES.contains(applicationType)) {
            throw Refusal.invalidClientMetadata("application_type must be 'web' or 'native'");
        }
        RedirectUriRules rules = RedirectUriRules.of(applicationType, settings.privateUseSchemes(), keycloak);
        rules.requireAcceptable(request.getRedirectUris());
        if (updatedClientId == null && request.getClientId() != null) {
            throw Refusal.invalidClientMetadata("client_id is assigned by the server and must not be sent");
        }
        if (updatedClientId != null && !updatedClientId.equals(request.getClientId())) {
            throw Refusal.invalidClientMetadata("client_id in the body must equal the client being updated");
        }
        refuseOutside("grant_types", request.getGrantTypes(), grantTypes(settings));
        refuseOutside("response_types", request.getResponseTypes(), RESPONSE_TYPES);
        String authMethod = request.getTokenEndpointAuthMethod();
        if (settings.allowConfidentialClients() && authMethod != null && !PUBLIC_CLIENT_AUTH_METHOD.equals(authMethod)
                && !SECRET_AUTH_METHODS.contains(authMethod)) {
            throw Refusal.invalidClientMetadata("token_endpoint_auth_method must be one of none, client_secret_basic, client_secret_post");
        }
        refuseLongerThan("client_name", request.getClientName(), MAX_NAME_LENGTH);
        refuseMisleadingName(request.getClientName());
        refuseLongerThan("client_uri", request.getClientUri(), MAX_NAME_LENGTH);
        refuseLongerThan("logo_uri", request.getLogoUri(), MAX_URI_LENGTH);
        refuseLongerThan("policy_uri", request.getPolicyUri(), MAX_URI_LENGTH);
        refuseLongerThan("tos_uri", request.getTosUri(), MAX_URI_LENGTH);
        // Where the user is sent after logout obeys the same rules as where the code is sent.
        if (request.getPostLogoutRedirectUris() != null) {
            for (String uri : request.getPostLogoutRedirectUris()) {
                try {
                    rules.requireAcceptable(uri);
                } catch (Refusal refusal) {
                    throw Refusal.invalidClientMetadata("post_logout_redirect_uris: " + refusal.description());
                }
            }
        }
    }

    /**
     * The name is shown to the user on the sign-in and consent pages: no {@code ${...}}, which Keycloak's message
     * formatting would replace with text of the realm's own (a name reading "…registered by your organisation"), and
     * no control or bidirectional-override characters, which can make it read as something else.
     */
    private static void refuseMisleadingName(String name) throws Refusal {
        if (name == null) {
            return;
        }
        if (name.contains("${")) {
            throw Refusal.invalidClientMetadata("client_name must not contain '${'");
        }
        boolean misleading = name.codePoints().anyMatch(c -> Character.isISOControl(c) || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C);
        if (misleading) {
            throw Refusal.invalidClientMetadata("client_name must not contain control or text-direction characters");
        }
    }

    private static void refuseLongerThan(String member, String value, int maxLength) throws Refusal {
        if (value != null && value.length() > maxLength) {
            throw Refusal.invalidClientMetadata(member + " is longer than " + maxLength + " characters");
        }
    }

    /**
     * The members an MCP client may set, and nothing else. URLs Keycloak would call or load on the client's behalf
     * ({@code request_uris}, {@code jwks_uri}, {@code backchannel_logout_uri}, {@code sector_identifier_uri}…) and
     * key material are dropped: an anonymous client must not make Keycloak fetch from inside the network. The
     * client is public unless the admin allows confidential clients and it asked for a client secret; the response
     * says what it got (RFC 7591 §3.2.1 lets the server replace requested values).
     */
    public static OIDCClientRepresentation asMcpClient(OIDCClientRepresentation request, McpRealmSettings settings) {
        OIDCClientRepresentation client = new OIDCClientRepresentation();
        client.setClientId(request.getClientId());
        client.setClientName(request.getClientName());
        client.setRedirectUris(request.getRedirectUris());
        client.setPostLogoutRedirectUris(request.getPostLogoutRedirectUris());
        client.setGrantTypes(request.getGrantTypes());
        client.setResponseTypes(request.getResponseTypes());
        client.setScope(request.getScope());
        client.setClientUri(request.getClientUri());
        client.setLogoUri(request.getLogoUri());
        client.setPolicyUri(request.getPolicyUri());
        client.setTosUri(request.getTosUri());
        client.setContacts(request.getContacts());
        client.setSoftwareId(request.getSoftwareId());
        client.setSoftwareVersion(request.getSoftwareVersion());
        client.setApplicationType(request.getApplicationType());
        // RFC 9449 §5.2: the client always uses DPoP; Keycloak keeps it as dpop.bound.access.tokens and then refuses the
        // client's token requests without a proof.
        client.setDpopBoundAccessTokens(request.getDpopBoundAccessTokens());
        client.setTokenEndpointAuthMethod(isConfidential(request, settings) ? request.getTokenEndpointAuthMethod() : PUBLIC_CLIENT_AUTH_METHOD);
        return client;
    }

    /** The grants an MCP client may register for: the code flow's, and the device grant where the admin allows it. */
    public static Set<String> grantTypes(McpRealmSettings settings) {
        return settings.deviceGrant() ? Set.of("authorization_code", "refresh_token", DEVICE_CODE_GRANT) : GRANT_TYPES;
    }

    /** The token endpoint authentication methods a registered MCP client can end up with. */
    public static List<String> tokenEndpointAuthMethods(McpRealmSettings settings) {
        return settings.allowConfidentialClients()
                ? List.of(PUBLIC_CLIENT_AUTH_METHOD, "client_secret_basic", "client_secret_post")
                : List.of(PUBLIC_CLIENT_AUTH_METHOD);
    }

    /** Whether the client gets a secret: only if the admin allows it and the client asked for one. */
    public static boolean isConfidential(OIDCClientRepresentation request, McpRealmSettings settings) {
        return settings.allowConfidentialClients() && SECRET_AUTH_METHODS.contains(request.getTokenEndpointAuthMethod());
    }

    private static void refuseOutside(String member, List<String> requested, Set<String> allowed) throws Refusal {
        if (requested == null) {
            return;
        }
        for (String value : requested) {
            if (value == null || !allowed.contains(value)) {
                throw Refusal.invalidClientMetadata(member + " value '" + value + "' is not allowed for MCP clients; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }
}
