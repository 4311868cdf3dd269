package dev.keycloakmcp.model;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * A required action the pack uses only for its trigger step ({@code evaluateTriggers}, which Keycloak calls for every
 * enabled required action of the realm after sign-in and before its consent check) and that every MCP realm has,
 * enabled: added at startup, when an MCP realm is created or imported, and at the realm's first MCP registration
 * (Keycloak publishes no event when an admin switches {@code mcp.enabled} on). An admin may disable one; a deleted one
 * comes back.
 */
public record McpRequiredAction(String alias, String displayText) {

    private static final Logger LOG = Logger.getLogger(McpRequiredAction.class);

    /** From a factory's {@code postInit}: the MCP realms that exist now and those created later get the action. */
    public void addToMcpRealms(KeycloakSessionFactory factory) {
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                    .filter(McpRealm::isEnabled).forEach(this::addTo));
        } catch (RuntimeException e) {
            // Another node of a cluster may be adding it at the same moment; the realm has it either way.
            LOG.warnf("Could not add the required action %s to the MCP realms at startup: %s", alias, e.getMessage());
        }
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created && McpRealm.isEnabled(created.getCreatedRealm())) {
                addTo(created.getCreatedRealm());
            }
        });
    }

    /**
     * Called on each MCP registration, for every action of the pack. Added in a transaction of its own, so that two nodes
     * adding it at once cannot fail the registration itself.
     */
    public static void ensureIn(KeycloakSession session, RealmModel realm, List<McpRequiredAction> actions) {
        List<McpRequiredAction> missing = actions.stream().filter(action -> realm.getRequiredActionProviderByAlias(action.alias) == null).toList();
        if (missing.isEmpty()) {
            return;
        }
        String realmId = realm.getId();
        for (McpRequiredAction action : missing) {
            try {
                KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> action.addTo(own.realms().getRealm(realmId)));
            } catch (RuntimeException e) {
                LOG.warnf("Could not add the required action %s to realm %s: %s", action.alias, realm.getName(), e.getMessage());
            }
        }
    }

    /** Adds the action to {@code realm} unless it is there (enabled, or disabled by an admin). */
    void addTo(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(alias) != null) {
            return;
        }
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(alias);
        action.setProviderId(alias);
        action.setName(displayText);
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority).max().orElse(0) + 10);
        realm.addRequiredActionProvider(action);
    }
}
