package dev.keycloakmcp.core;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.KeycloakSessionTask;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.DefaultClientScopes;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.storage.client.ClientStorageProvider;

import dev.keycloakmcp.metrics.McpMetrics;

/**
 * The one place that makes a realm an MCP realm, in five steps.
 * The demo realm ({@code realm-config/mcp-realm.json}), the install script ({@code realm-config/add-mcp-to-realm.sh})
 * and {@code docs/install.md} take the same steps in this order:
 * <ol>
 * <li>the realm: attribute {@value McpRealm#ENABLED_ATTRIBUTE}{@code =true}, event listener {@code mcp-client-usage},
 * login theme {@code mcp};</li>
 * <li>client scopes: the MCP scopes (attribute {@value McpRealm#SCOPE_ATTRIBUTE}{@code =true}) and the realm default
 * scope {@code mcp-audience} with the resource audience mapper;</li>
 * <li>anonymous registration: the {@value McpRealmSettings#POLICY_ID} policy (the realm's MCP settings), optionally
 * the {@value #DOCUMENT_POLICY} policy with its client storage component, Keycloak's "Trusted Hosts" policy removed
 * and the MCP scopes allowed by its "Allowed Client Scopes" policy;</li>
 * <li>the pack's required actions {@link #REQUIRED_ACTIONS};</li>
 * <li>a confidential client per MCP server, whose client id is its canonical URL.</li>
 * </ol>
 * The server itself takes the parts of steps 3 and 4 an admin cannot easily see to: the required actions
 * ({@link #atStartup}, at realm creation, {@link #atFirstUse}), the client storage component where the document
 * policy is ({@link #atStartup}, at realm creation, when the policy is added), and on Keycloak before 26.7 the client
 * policy that carries the pack's rules ({@link McpClientPolicy}: at startup, at realm creation, {@link #atFirstUse}).
 */
public final class McpRealmSetup {

    public static final McpRequiredAction CONSENT_EVERY_TIME = new McpRequiredAction("mcp-consent-every-time",
            "MCP: ask for consent on every authorization by a self-registered client");
    public static final McpRequiredAction OFFLINE_ACCESS_FALLBACK = new McpRequiredAction("mcp-offline-access-fallback",
            "MCP: an ordinary refresh token when the user may not have offline_access");
    static final List<McpRequiredAction> REQUIRED_ACTIONS = List.of(CONSENT_EVERY_TIME, OFFLINE_ACCESS_FALLBACK);

    /** The registration policy that turns Client ID Metadata Documents on for a realm. */
    public static final String DOCUMENT_POLICY = "mcp-client-metadata-documents";
    /** The client storage component that creates clients from documents; Keycloak asks only a realm's own components. */
    public static final String DOCUMENT_CLIENT_STORAGE = "mcp-client-metadata-documents";

    private static final Logger LOG = Logger.getLogger(McpRealmSetup.class);

    private McpRealmSetup() {
    }

    /**
     * From a factory's {@code postInit}: completes the MCP realms that exist once Keycloak has booted (its database
     * migrated, {@code --import-realm} done), and those created or imported later. Not in {@code postInit} itself,
     * where Keycloak 26.5 may not have its database ready yet. Each part in a transaction of its own, so that one that
     * fails (another node of a cluster adding it at the same moment, a storage provider an admin switched off) does not
     * keep the others.
     */
    public static void atStartup(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                completeRealms(factory);
            } else if (event instanceof RealmModel.RealmPostCreateEvent created && McpRealm.isEnabled(created.getCreatedRealm())) {
                RealmModel realm = created.getCreatedRealm();
                createDefaultClientScopesIfAsked(created.getKeycloakSession(), realm);
                REQUIRED_ACTIONS.forEach(action -> action.addTo(realm));
                if (McpRealm.acceptsMetadataDocuments(realm)) {
                    addDocumentClientStorage(realm);
                }
                McpClientPolicy.align(created.getKeycloakSession(), realm);
                McpMetrics.startCounting(realm.getName());
            }
        });
    }

    /**
     * A realm file may ask its import for Keycloak's default client scopes besides its own (realm attribute
     * {@value KeycloakFeature#CREATE_DEFAULT_CLIENT_SCOPES}, as {@code mcp-realm.json} does). Keycloak 26.7 does that and
     * drops the attribute; older lines keep it as a plain attribute and import no such scope, so that tokens lack
     * {@code sub} and the profile claims. Here they get what 26.7 gives ({@link KeycloakFeature#DEFAULT_SCOPES_ON_IMPORT}).
     */
    private static void createDefaultClientScopesIfAsked(KeycloakSession session, RealmModel realm) {
        if (Boolean.parseBoolean(realm.getAttribute(KeycloakFeature.CREATE_DEFAULT_CLIENT_SCOPES))) {
            realm.removeAttribute(KeycloakFeature.CREATE_DEFAULT_CLIENT_SCOPES);
            // A file without client scopes of its own already got them from Keycloak: never a second set.
            if (realm.getClientScopesStream().noneMatch(scope -> OAuth2Constants.SCOPE_PROFILE.equals(scope.getName()))) {
                Set<String> before = realm.getClientScopesStream().map(ClientScopeModel::getId).collect(Collectors.toSet());
                DefaultClientScopes.createDefaultClientScopes(session, realm, true);
                // That gives every client of the file the realm's optional scopes too (offline_access...): a machine
                // client's ceiling is the MCP scopes it was given, as when 26.7 imports it.
                realm.getClientsStream().filter(client -> McpClientKind.of(client).filter(kind -> kind == McpClientKind.MACHINE).isPresent())
                        .forEach(client -> client.getClientScopes(false).values().stream().filter(scope -> !McpRealm.isMcpScope(scope))
                                .toList().forEach(client::removeClientScope));
                // And every MCP server all of them: it only introspects, and each default scope would widen the tokens it
                // gets by token exchange (docs/on-behalf-of.md). It keeps basic (sub), as the demo file gives it on 26.7.
                realm.getClientsStream().filter(client -> Boolean.parseBoolean(client.getAttribute(ResourceServers.MARKER_ATTRIBUTE)))
                        .forEach(server -> Stream.concat(server.getClientScopes(true).values().stream(), server.getClientScopes(false).values().stream())
                                .filter(scope -> !before.contains(scope.getId()) && !"basic".equals(scope.getName()))
                                .toList().forEach(server::removeClientScope));
            }
        }
    }

    private static void completeRealms(KeycloakSessionFactory factory) {
        for (McpRequiredAction action : REQUIRED_ACTIONS) {
            inOwnTransaction(factory, () -> "Could not add the required action " + action.alias() + " to the MCP realms at startup",
                    session -> mcpRealms(session).forEach(action::addTo));
        }
        inOwnTransaction(factory, () -> "Could not list the MCP realms' metrics at startup",
                session -> mcpRealms(session).map(RealmModel::getName).forEach(McpMetrics::startCounting));
        inOwnTransaction(factory, () -> "Could not add the " + DOCUMENT_CLIENT_STORAGE + " client storage component at startup",
                session -> mcpRealms(session).filter(McpRealm::acceptsMetadataDocuments).forEach(McpRealmSetup::addDocumentClientStorage));
        List<String> realmIds = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                session -> session.realms().getRealmsStream().map(RealmModel::getId).toList());
        for (String realmId : realmIds) {
            inOwnTransaction(factory, () -> "Could not align the client policy " + McpClientPolicy.NAME + " of realm " + realmId,
                    session -> McpClientPolicy.align(session, session.realms().getRealm(realmId)));
        }
    }

    /**
     * Before a realm's self-registered client is created, the required actions: Keycloak publishes no event when an
     * admin switches {@value McpRealm#ENABLED_ATTRIBUTE} on. Each missing one is added in a transaction of its own, so
     * that two nodes adding it at once cannot fail the registration itself.
     */
    public static void atFirstUse(KeycloakSession session, RealmModel realm) {
        String realmId = realm.getId();
        for (McpRequiredAction action : REQUIRED_ACTIONS) {
            if (!action.isIn(realm)) {
                inOwnTransaction(session.getKeycloakSessionFactory(),
                        () -> "Could not add the required action " + action.alias() + " to realm " + realm.getName(),
                        own -> action.addTo(own.realms().getRealm(realmId)));
            }
        }
        // Checked first in this transaction: a transaction of its own only when the policy is missing.
        if (!McpClientPolicy.isIn(session, realm)) {
            inOwnTransaction(session.getKeycloakSessionFactory(),
                    () -> "Could not add the client policy " + McpClientPolicy.NAME + " to realm " + realm.getName(),
                    own -> McpClientPolicy.align(own, own.realms().getRealm(realmId)));
        }
    }

    private static Stream<RealmModel> mcpRealms(KeycloakSession session) {
        return session.realms().getRealmsStream().filter(McpRealm::isEnabled);
    }

    private static void inOwnTransaction(KeycloakSessionFactory factory, Supplier<String> failure, KeycloakSessionTask job) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, job);
        } catch (RuntimeException e) {
            // Another node of a cluster may be adding the same at this moment: the realm has it either way.
            LOG.warnf("%s: %s", failure.get(), e.getMessage());
        }
    }

    private static boolean hasDocumentClientStorage(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), ClientStorageProvider.class.getName())
                .anyMatch(component -> DOCUMENT_CLIENT_STORAGE.equals(component.getProviderId()));
    }

    /** Adds the document client storage component to {@code realm} unless it is there (the document policy was added). */
    public static void addDocumentClientStorage(RealmModel realm) {
        if (hasDocumentClientStorage(realm)) {
            return;
        }
        ComponentModel component = new ComponentModel();
        component.setName("MCP client metadata documents");
        component.setProviderId(DOCUMENT_CLIENT_STORAGE);
        component.setProviderType(ClientStorageProvider.class.getName());
        component.setParentId(realm.getId());
        component.put("enabled", "true");
        realm.addComponentModel(component);
    }

    /** Removes the document client storage component from {@code realm} (the document policy was removed). */
    public static void removeDocumentClientStorage(RealmModel realm) {
        realm.getComponentsStream(realm.getId(), ClientStorageProvider.class.getName())
                .filter(component -> DOCUMENT_CLIENT_STORAGE.equals(component.getProviderId())).toList()
                .forEach(realm::removeComponent);
    }
}
