package dev.keycloakmcp.discovery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.keycloak.OAuth2Constants;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;
import org.keycloak.util.JsonSerialization;

import dev.keycloakmcp.authorization.AuthorizationRequestRules;

/**
 * The rules that turn Keycloak's stock discovery document into one an MCP client can trust.
 * It advertises exactly what an MCP realm enforces (S256, the code flow, answers in the query, the grants MCP clients
 * use) and where they register, and nothing the pack does not support end to end for them ({@link #MCP_MEMBERS},
 * {@link #OPENID_MEMBERS}: no CIBA endpoint, PAR, mTLS or JWT responses; the device endpoint only where the realm
 * allows MCP clients the device grant), only the scopes an MCP
 * client may ask for. The issuer is never touched: MCP clients reject a document whose issuer differs.
 */
final class AuthorizationServerMetadata {

    static final List<String> CODE_CHALLENGE_METHODS = List.of("S256");
    static final List<String> RESPONSE_TYPES = List.of("code");
    static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token");

    static final String CLIENT_ID_METADATA_DOCUMENT_SUPPORTED = "client_id_metadata_document_supported";
    static final String DEVICE_AUTHORIZATION_ENDPOINT = "device_authorization_endpoint";
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    /** How MCP machine clients authenticate: private_key_jwt (recommended) and client_secret_basic. */
    static final List<String> MACHINE_AUTH_METHODS = List.of("private_key_jwt", "client_secret_basic");
    /** RFC 7523's grant, for ID-JAGs (MCP Enterprise-Managed Authorization). */
    static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The AS metadata member of draft-ietf-oauth-identity-assertion-authz-grant, and the profile it lists. */
    static final String GRANT_PROFILES = "authorization_grant_profiles_supported";
    static final String ID_JAG_PROFILE = "urn:ietf:params:oauth:grant-profile:id-jag";
    static final String AUTH_SIGNING_ALGS = "token_endpoint_auth_signing_alg_values_supported";
    /**
     * RFC 9449 §5.1. Keycloak puts it only when its {@code dpop} feature is on (default from 26.4, {@code --features=dpop}
     * on 26.2/26.3), so it is kept exactly then, with its asymmetric algorithms only (a proof is never MAC'd).
     */
    static final String DPOP_SIGNING_ALGS = "dpop_signing_alg_values_supported";
    private static final List<String> ASYMMETRIC_ALG_PREFIXES = List.of("RS", "PS", "ES", "EdDSA");

    /** The members of the RFC 8414 document, the one MCP clients read first; each is used by the pack's tests. */
    static final Set<String> MCP_MEMBERS = Set.of("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri",
            "registration_endpoint", "scopes_supported", "response_types_supported", "response_modes_supported",
            "grant_types_supported", "token_endpoint_auth_methods_supported", "code_challenge_methods_supported",
            "revocation_endpoint", "revocation_endpoint_auth_methods_supported", "introspection_endpoint",
            "introspection_endpoint_auth_methods_supported", "authorization_response_iss_parameter_supported",
            CLIENT_ID_METADATA_DOCUMENT_SUPPORTED, DPOP_SIGNING_ALGS);

    /**
     * What the OpenID document adds for the realm's OpenID Connect applications (sign-in, user info, logout), which read
     * the same document as MCP clients that fall back to it.
     */
    static final Set<String> OPENID_MEMBERS = Set.of("userinfo_endpoint", "end_session_endpoint", "check_session_iframe",
            "frontchannel_logout_supported", "frontchannel_logout_session_supported", "backchannel_logout_supported",
            "backchannel_logout_session_supported", "subject_types_supported", "id_token_signing_alg_values_supported",
            "id_token_encryption_alg_values_supported", "id_token_encryption_enc_values_supported",
            "userinfo_signing_alg_values_supported", "userinfo_encryption_alg_values_supported",
            "userinfo_encryption_enc_values_supported", "claims_supported", "claim_types_supported", "claims_parameter_supported",
            "acr_values_supported", "prompt_values_supported",
            // OpenID Connect Discovery reads an absent request_uri_parameter_supported as true: say what Keycloak does.
            "request_parameter_supported", "request_uri_parameter_supported");

    private AuthorizationServerMetadata() {
    }

    /**
     * What an MCP realm offers its MCP clients, read from the realm.
     *
     * @param deviceGrant       whether MCP clients may use the device grant (the realm's registration policy)
     * @param clientCredentials whether MCP machine clients may use the client_credentials grant (same policy)
     * @param identityAssertions whether the realm trusts an enterprise IdP's ID-JAGs (the jwt-bearer grant)
     */
    public record McpOffer(String registrationEndpoint, Collection<String> mcpScopes, boolean offlineAccess,
            List<String> tokenEndpointAuthMethods, boolean metadataDocuments, boolean deviceGrant, boolean clientCredentials,
            boolean identityAssertions) {

        /** Whether a grant for clients that authenticate (private_key_jwt, client_secret_basic) is offered. */
        boolean authenticatedClients() {
            return clientCredentials || identityAssertions;
        }
    }

    /**
     * @param openId whether this is the OpenID Connect document (which keeps the members OpenID applications use) rather
     *               than the RFC 8414 one
     */
    public static Map<String, Object> shapeForMcp(OIDCConfigurationRepresentation stock, boolean openId, McpOffer offer) {
        stock.setCodeChallengeMethodsSupported(CODE_CHALLENGE_METHODS);
        stock.setResponseTypesSupported(RESPONSE_TYPES);
        stock.setGrantTypesSupported(grantTypes(offer, deviceGrantOffered(stock, offer)));
        stock.setRegistrationEndpoint(offer.registrationEndpoint());
        stock.setAuthorizationResponseIssParameterSupported(Boolean.TRUE);
        if (stock.getResponseModesSupported() != null) {
            stock.setResponseModesSupported(stock.getResponseModesSupported().stream().filter(AuthorizationRequestRules.RESPONSE_MODES::contains).toList());
        }
        List<String> authMethods = tokenEndpointAuthMethods(offer);
        stock.setTokenEndpointAuthMethodsSupported(authMethods);
        // MCP clients revoke their own tokens, authenticated as at the token endpoint (public ones by client_id alone).
        stock.setRevocationEndpointAuthMethodsSupported(authMethods);
        List<String> signingAlgs = asymmetric(stock.getTokenEndpointAuthSigningAlgValuesSupported());
        stock.setScopesSupported(scopes(offer));

        @SuppressWarnings("unchecked")
        Map<String, Object> members = JsonSerialization.mapper.convertValue(stock, LinkedHashMap.class);
        members.keySet().removeIf(member -> !MCP_MEMBERS.contains(member) && !(openId && OPENID_MEMBERS.contains(member)));
        members.values().removeIf(value -> value == null);
        if (members.get(DPOP_SIGNING_ALGS) instanceof List<?> algs) {
            // Without EdDSA, which the pack's resource server (Nimbus without Tink) cannot verify: a client that picked it
            // would get tokens no such MCP server accepts.
            List<String> asymmetric = asymmetric(algs.stream().map(String::valueOf).filter(alg -> !alg.equals("EdDSA")).toList());
            if (asymmetric.isEmpty()) {
                members.remove(DPOP_SIGNING_ALGS);
            } else {
                members.put(DPOP_SIGNING_ALGS, asymmetric);
            }
        }
        // A member, not the typed setter, which only Keycloak 26.7 has; Keycloak's own value (its CIMD feature) is replaced.
        members.remove(CLIENT_ID_METADATA_DOCUMENT_SUPPORTED);
        if (offer.metadataDocuments()) {
            members.put(CLIENT_ID_METADATA_DOCUMENT_SUPPORTED, Boolean.TRUE);
        }
        // The device endpoint where the realm allows the grant and Keycloak has the device flow (it advertises the
        // endpoint only then); MCP clients (mcp-remote --device-code) look for it and for the grant.
        if (deviceGrantOffered(stock, offer)) {
            members.put(DEVICE_AUTHORIZATION_ENDPOINT, stock.getDeviceAuthorizationEndpoint());
        }
        if (offer.authenticatedClients() && !signingAlgs.isEmpty()) {
            // For private_key_jwt only: Keycloak's list also has the HS* algorithms of client_secret_jwt, which MCP
            // machine clients do not use (SEP-1046 asks for asymmetric keys).
            members.put(AUTH_SIGNING_ALGS, signingAlgs);
        }
        if (offer.identityAssertions()) {
            members.put(GRANT_PROFILES, List.of(ID_JAG_PROFILE));
        }
        return members;
    }

    /**
     * The code and refresh grants, the device grant where it is offered ({@link #deviceGrantOffered}) and
     * {@code client_credentials} where machine clients may use it, the jwt-bearer grant where an IdP is trusted for ID-JAGs.
     */
    static List<String> grantTypes(McpOffer offer, boolean deviceGrant) {
        List<String> grants = new ArrayList<>(GRANT_TYPES);
        if (deviceGrant) {
            grants.add(DEVICE_CODE_GRANT);
        }
        if (offer.clientCredentials()) {
            grants.add(CLIENT_CREDENTIALS);
        }
        if (offer.identityAssertions()) {
            grants.add(JWT_BEARER_GRANT);
        }
        return List.copyOf(grants);
    }

    /** Where the realm allows MCP clients the device grant and Keycloak has the device flow on. */
    static boolean deviceGrantOffered(OIDCConfigurationRepresentation stock, McpOffer offer) {
        return offer.deviceGrant() && stock.getDeviceAuthorizationEndpoint() != null;
    }

    /**
     * What registered MCP clients use, and what admin-made clients use where the realm offers them a grant: machine
     * clients' client credentials, and the jwt-bearer grant of ID-JAGs, which the profile expects from authenticated
     * clients (the TypeScript SDK's CrossAppAccessProvider picks its authentication from this list).
     */
    static List<String> tokenEndpointAuthMethods(McpOffer offer) {
        List<String> methods = new ArrayList<>(offer.tokenEndpointAuthMethods());
        if (offer.authenticatedClients()) {
            MACHINE_AUTH_METHODS.stream().filter(method -> !methods.contains(method)).forEach(methods::add);
        }
        return methods;
    }

    /** The asymmetric signature algorithms among Keycloak's (RSA, EC, EdDSA): never a MAC or {@code none}. */
    static List<String> asymmetric(List<String> algorithms) {
        return algorithms == null ? List.of() : algorithms.stream()
                .filter(alg -> alg != null && ASYMMETRIC_ALG_PREFIXES.stream().anyMatch(alg::startsWith)).toList();
    }

    /** {@code openid}, the realm's MCP scopes and, where MCP clients may have it, {@code offline_access}. */
    static List<String> scopes(McpOffer offer) {
        List<String> scopes = new ArrayList<>();
        scopes.add(OAuth2Constants.SCOPE_OPENID);
        offer.mcpScopes().stream().filter(scope -> !scopes.contains(scope)).forEach(scopes::add);
        if (offer.offlineAccess()) {
            scopes.add(OAuth2Constants.OFFLINE_ACCESS);
        }
        return scopes;
    }
}
