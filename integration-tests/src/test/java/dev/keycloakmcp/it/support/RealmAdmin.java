package dev.keycloakmcp.it.support;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientInitialAccessCreatePresentation;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.EventRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.util.JsonSerialization;

/**
 * What tests do as an admin, through Keycloak's typed admin client signed in as the bootstrap admin: the
 * {@code mcp} realm by default ({@link #realm()}), any realm by name, and the few console steps several tests take.
 */
public final class RealmAdmin implements AutoCloseable {

    public static final String REALM = "mcp";
    static final String REGISTRATION_POLICY = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy";

    private final Keycloak keycloak;

    public RealmAdmin(KeycloakRuntime runtime) {
        try {
            // The JVM's default TLS context: it trusts the production stack's certificate (LocalCertificate.trustInThisJvm).
            keycloak = Keycloak.getInstance(runtime.baseUrl(), "master", KeycloakDistribution.ADMIN_USERNAME,
                    KeycloakDistribution.ADMIN_PASSWORD, "admin-cli", SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("No default TLS context", e);
        }
    }

    /** The master realm admin's current access token, for calls the admin client has no method for. */
    public String accessToken() {
        return keycloak.tokenManager().getAccessTokenString();
    }

    /**
     * Creates user {@code username} (password = username) in {@code realm} with the given roles of the realm's
     * {@code realm-management} client, e.g. {@code view-clients}: an admin of that realm with just those rights.
     */
    public String createRealmAdmin(String realm, String username, List<String> roles) {
        UserRepresentation user = new UserRepresentation();
        user.setUsername(username);
        user.setEnabled(true);
        user.setEmail(username + "@example.com");
        user.setEmailVerified(true);
        user.setFirstName(username);
        user.setLastName("Admin");
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType("password");
        password.setValue(username);
        password.setTemporary(false);
        user.setCredentials(List.of(password));
        created(realm(realm).users().create(user), "user " + username, true);
        String id = realm(realm).users().searchByUsername(username, true).get(0).getId();
        String management = realm(realm).clients().findByClientId("realm-management").get(0).getId();
        List<RoleRepresentation> granted = roles.stream()
                .map(role -> realm(realm).clients().get(management).roles().get(role).toRepresentation()).toList();
        realm(realm).users().get(id).roles().clientLevel(management).add(granted);
        return id;
    }

    /** The {@code mcp} realm. */
    public RealmResource realm() {
        return realm(REALM);
    }

    public RealmResource realm(String name) {
        return keycloak.realm(name);
    }

    public List<ClientRepresentation> clients() {
        return realm().clients().findAll(null, null, null, 0, 1000);
    }

    public Optional<ClientRepresentation> client(String clientId) {
        return realm().clients().findByClientId(clientId).stream().findFirst();
    }


    /** The names of a client's optional client scopes (Clients → client → Client scopes, type Optional). */
    public List<String> optionalScopes(String clientUuid) {
        return realm().clients().get(clientUuid).getOptionalClientScopes().stream().map(ClientScopeRepresentation::getName).toList();
    }

    /** The names of a client's default client scopes (Clients → client → Client scopes, type Default). */
    public List<String> defaultScopes(String clientUuid) {
        return realm().clients().get(clientUuid).getDefaultClientScopes().stream().map(ClientScopeRepresentation::getName).toList();
    }

    /** Changes one setting of the {@code mcp-client-registration} policy, as an admin would in the console. */
    public void setRegistrationPolicy(String key, String value) {
        setRegistrationPolicy("mcp-client-registration", key, List.of(value));
    }

    /** Changes one setting of a registration policy of the {@code mcp} realm, as an admin would in the console. */
    public void setRegistrationPolicy(String providerId, String key, List<String> values) {
        Answer answer = trySetRegistrationPolicy(providerId, key, values);
        if (answer.status() != 204) {
            throw new IllegalStateException("Could not update the registration policy: " + answer.status() + " " + answer.body());
        }
    }

    /** Keycloak's answer to an admin request that may be refused. */
    public record Answer(int status, String body) {
    }

    /** Tries to change one setting of a registration policy; Keycloak's answer. */
    public Answer trySetRegistrationPolicy(String providerId, String key, List<String> values) {
        ComponentRepresentation policy = realm().components().query(null, REGISTRATION_POLICY).stream()
                .filter(component -> providerId.equals(component.getProviderId())).findFirst().orElseThrow();
        policy.getConfig().put(key, values);
        try {
            realm().components().component(policy.getId()).update(policy);
            return new Answer(204, "");
        } catch (WebApplicationException refused) {
            return new Answer(refused.getResponse().getStatus(), refused.getResponse().readEntity(String.class));
        }
    }

    /** Stored events of a type (Realm settings → Events), newest first. */
    public List<EventRepresentation> events(String type) {
        return realm().getEvents(List.of(type), null, null, null, null, null, 0, 100);
    }

    /** An initial access token (Clients → Initial access token), as an admin hands one to a trusted party. */
    public String initialAccessToken() {
        ClientInitialAccessCreatePresentation request = new ClientInitialAccessCreatePresentation(600, 1);
        return realm().clientInitialAccess().create(request).getToken();
    }

    /**
     * Creates a public client the way an admin would in the console, e.g. a pre-registered MCP client: the realm's
     * default scope {@code mcp-audience}, and {@code mcp:tools} added as optional (naming only optional scopes here
     * would drop the realm's default ones).
     */
    public void createPublicClient(String clientId, String redirectUri, Map<String, String> attributes) {
        ClientRepresentation client = new ClientRepresentation();
        client.setClientId(clientId);
        client.setPublicClient(true);
        client.setRedirectUris(List.of(redirectUri));
        client.setDefaultClientScopes(List.of("mcp-audience"));
        client.setOptionalClientScopes(List.of("mcp:tools"));
        client.setAttributes(attributes);
        created(realm().clients().create(client), "client " + clientId, false);
    }

    /** Creates an OpenID Connect client scope that is not offered to every client (no realm default). */
    public void createClientScope(String name) {
        ClientScopeRepresentation scope = new ClientScopeRepresentation();
        scope.setName(name);
        scope.setProtocol("openid-connect");
        created(realm().clientScopes().create(scope), "client scope " + name, true);
    }

    /** Registers another MCP server in the realm, the way an admin would: a confidential client with its URL. */
    public void registerMcpServer(String resource) {
        ClientRepresentation server = new ClientRepresentation();
        server.setClientId(resource);
        server.setPublicClient(false);
        server.setStandardFlowEnabled(false);
        server.setSecret("test-only-secret");
        server.setAttributes(Map.of("mcp.resource.server", "true"));
        created(realm().clients().create(server), "MCP server " + resource, true);
    }

    /** Sets one attribute of a client (Clients → client → Advanced), e.g. {@code access.token.lifespan}. */
    public void setClientAttribute(String clientId, String key, String value) {
        ClientRepresentation client = client(clientId).orElseThrow();
        client.getAttributes().put(key, value);
        realm().clients().get(client.getId()).update(client);
    }

    /** Turns on Consent required for a client (Clients → client → Login settings). */
    public void setClientConsentRequired(String clientId) {
        ClientRepresentation client = client(clientId).orElseThrow();
        client.setConsentRequired(true);
        realm().clients().get(client.getId()).update(client);
    }

    /** Creates a realm from its JSON form, as an admin imports one in the console; one that exists is kept. */
    public void createRealm(Map<String, Object> realm) {
        RealmRepresentation representation = JsonSerialization.mapper.convertValue(realm, RealmRepresentation.class);
        try {
            keycloak.realms().create(representation);
        } catch (jakarta.ws.rs.ClientErrorException e) {
            if (e.getResponse().getStatus() != 409) {
                throw e;
            }
        }
    }

    /** Changes realm settings, as the console's Realm settings page does (only the members given). */
    public void updateRealm(String realm, Map<String, Object> changes) {
        realm(realm).update(JsonSerialization.mapper.convertValue(changes, RealmRepresentation.class));
    }

    /** Adds an identity provider to the {@code mcp} realm (Identity providers → Add provider); one that exists is kept. */
    public void createIdentityProvider(Map<String, Object> provider) {
        IdentityProviderRepresentation representation = JsonSerialization.mapper.convertValue(provider, IdentityProviderRepresentation.class);
        created(realm().identityProviders().create(representation), "identity provider " + representation.getAlias(), true);
    }

    public void deleteIdentityProvider(String alias) {
        realm().identityProviders().get(alias).remove();
    }

    private static void created(Response response, String what, boolean existingIsFine) {
        try (response) {
            int status = response.getStatus();
            if (status != 201 && !(existingIsFine && status == 409)) {
                throw new IllegalStateException("Could not create " + what + ": " + status + " " + response.readEntity(String.class));
            }
        }
    }

    @Override
    public void close() {
        keycloak.close();
    }
}
