package dev.keycloakmcp.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.keycloak.common.util.Time;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * The one shape of every self-registered MCP client ({@link #apply}).
 * Registration (anonymous or with an initial access token, and every self-update) and metadata documents both go
 * through it, so no way in makes a client with other settings. It also keeps the port-less loopback redirect URIs it
 * adds apart from the registered ones.
 */
public final class McpClientShape {

    static final String PKCE_METHOD_ATTRIBUTE = "pkce.code.challenge.method";
    /** Keycloak's per-client switch of the RFC 8628 device grant, set by its converter from {@code grant_types}. */
    public static final String DEVICE_GRANT_ATTRIBUTE = "oauth2.device.authorization.grant.enabled";
    static final String REQUEST_OBJECT_ALG_ATTRIBUTE = "request.object.signature.alg";
    /** Keycloak's client authenticator for {@code "token_endpoint_auth_method": "none"}. */
    static final String PUBLIC_CLIENT_AUTHENTICATOR = "none";
    /** Keycloak's client-secret authenticator (client_secret_basic / client_secret_post). */
    static final String SECRET_CLIENT_AUTHENTICATOR = "client-secret";
    /**
     * The port-less loopback forms stored for any-port matching that the client did not register itself, as a JSON
     * array (never empty text, which Keycloak does not keep): Keycloak keeps redirect URIs as an unordered set, so only
     * this tells them from ones the client registered (VS Code registers {@code http://127.0.0.1/} beside
     * {@code http://127.0.0.1:33418/}).
     */
    public static final String ANY_PORT_FORMS_ATTRIBUTE = "mcp.any-port-forms";

    private McpClientShape() {
    }

    /**
     * RFC 8252 §7.3: a native client's loopback redirect may use any port at authorization time. Keycloak matches a
     * loopback request on any port against a registered URI without port, so that form is stored beside the one
     * registered (which keeps matching exactly).
     */
    static List<String> withAnyLoopbackPort(List<String> redirectUris) {
        if (redirectUris == null) {
            return null;
        }
        Set<String> stored = new LinkedHashSet<>(redirectUris);
        for (String redirectUri : redirectUris) {
            anyPortForm(redirectUri).ifPresent(stored::add);
        }
        return new ArrayList<>(stored);
    }

    /** The port-less forms {@link #withAnyLoopbackPort} adds to {@code registered} that it does not hold already. */
    static List<String> addedForAnyPort(List<String> registered) {
        List<String> stored = withAnyLoopbackPort(registered);
        return stored == null ? List.of() : stored.subList(new LinkedHashSet<>(registered).size(), stored.size());
    }

    /**
     * The redirect URIs as registered: {@code stored} without the port-less forms {@link #withAnyLoopbackPort} added
     * ({@code addedForms}, the {@link #ANY_PORT_FORMS_ATTRIBUTE}), so that the client is shown exactly what it sent and,
     * sending it back (RFC 7592 §2.2), registers the same thing again. Clients stored before that attribute existed
     * ({@code addedForms} null) are shown their URIs without any port-less loopback form that stands for another.
     */
    public static List<String> asRegistered(List<String> stored, String addedForms) {
        if (stored == null) {
            return null;
        }
        Set<String> added = new HashSet<>();
        Optional<List<String>> recorded = addedForms == null ? Optional.empty() : readForms(addedForms);
        if (recorded.isPresent()) {
            added.addAll(recorded.get());
        } else {
            for (String redirectUri : stored) {
                anyPortForm(redirectUri).ifPresent(added::add);
            }
        }
        return stored.stream().filter(uri -> !added.contains(uri)).toList();
    }

    /** The {@link #ANY_PORT_FORMS_ATTRIBUTE} value for these forms. */
    static String writeForms(List<String> forms) {
        try {
            return JsonSerialization.writeValueAsString(forms);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<List<String>> readForms(String attribute) {
        try {
            return Optional.of(List.of(JsonSerialization.readValue(attribute, String[].class)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The port-less form of a loopback http URI with a port. */
    private static Optional<String> anyPortForm(String redirectUri) {
        URI uri;
        try {
            uri = URI.create(redirectUri);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && LoopbackHost.of(uri) && uri.getPort() != -1) {
            return Optional.of(uri.getScheme() + "://" + uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        }
        return Optional.empty();
    }

    /**
     * Makes {@code client} a safe MCP client: public (PKCE is its proof) unless {@code confidential} (only where the admin
     * allows client secrets), PKCE S256, consent required, code flow (and the device grant where registration let it
     * through) only, the realm's default scopes and MCP scopes
     * ({@link ClientScopeGrant}), and marked with {@code kind} so that the MCP checks, the consent page and the
     * unused-client reaper apply.
     */
    public static void apply(RealmModel realm, ClientRepresentation client, boolean confidential, McpClientKind kind) {
        client.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        client.setPublicClient(!confidential);
        client.setClientAuthenticatorType(confidential ? SECRET_CLIENT_AUTHENTICATOR : PUBLIC_CLIENT_AUTHENTICATOR);
        if (!confidential) {
            client.setSecret(null);
        }
        client.setBearerOnly(false);
        client.setConsentRequired(true);
        client.setStandardFlowEnabled(true);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false);
        client.setServiceAccountsEnabled(false);
        client.setAuthorizationServicesEnabled(false);
        client.setFrontchannelLogout(false);
        List<String> registered = client.getRedirectUris();
        client.setRedirectUris(withAnyLoopbackPort(registered));
        // "+" lets a browser-based MCP client (MCP Inspector) call the token endpoint from its redirect URI's origin.
        client.setWebOrigins(List.of("+"));

        Map<String, String> attributes = client.getAttributes() == null ? new HashMap<>() : new HashMap<>(client.getAttributes());
        // Registration only lets the device grant through where the realm allows it (RegistrationRequest.grantTypes).
        boolean deviceGrant = Boolean.parseBoolean(attributes.get(DEVICE_GRANT_ATTRIBUTE));
        attributes.put(DEVICE_GRANT_ATTRIBUTE, String.valueOf(deviceGrant));
        // Keycloak applies the per-client PKCE method at the device endpoint too, where RFC 8628 has no PKCE and MCP
        // clients send no challenge: a device client goes without it, and the pack's mcp-pkce check (every MCP client,
        // authorization endpoint) keeps S256 required where codes are issued. Empty, not absent, so an update clears it.
        attributes.put(PKCE_METHOD_ATTRIBUTE, deviceGrant ? "" : "S256");
        // MCP clients hold no keys: only signed request objects are accepted, so unsigned ("none") ones are refused.
        attributes.put(REQUEST_OBJECT_ALG_ATTRIBUTE, "RS256");
        attributes.put(McpClientKind.ATTRIBUTE, kind.value());
        if (registered != null && kind == McpClientKind.DYNAMIC) {
            // Only registered clients are shown their redirect URIs (RFC 7591/7592 responses). Always written ("[]" when
            // nothing was added), so that an update replaces what an earlier one stored.
            attributes.put(ANY_PORT_FORMS_ATTRIBUTE, writeForms(addedForAnyPort(registered)));
        }
        attributes.putIfAbsent(ClientUsage.LAST_USED_ATTRIBUTE, String.valueOf(Time.currentTime()));
        client.setAttributes(attributes);
        if (client.getDescription() == null) {
            McpClientDescription.of(kind, client.getClientId()).ifPresent(client::setDescription);
        }

        List<String> realmDefaults = realmDefaultScopes(realm, true);
        client.setDefaultClientScopes(new ArrayList<>(ClientScopeGrant.defaultScopes(realmDefaults)));
        client.setOptionalClientScopes(new ArrayList<>(ClientScopeGrant.optionalScopes(
                McpRealm.mcpScopes(realm).map(ClientScopeModel::getName).toList(), realmDefaultScopes(realm, false), realmDefaults)));
    }

    /** The realm's default ({@code true}) or optional OpenID Connect client scopes that every new client gets. */
    private static List<String> realmDefaultScopes(RealmModel realm, boolean defaultScopes) {
        return realm.getDefaultClientScopesStream(defaultScopes)
                .filter(scope -> OIDCLoginProtocol.LOGIN_PROTOCOL.equals(scope.getProtocol()))
                .map(ClientScopeModel::getName).toList();
    }
}
