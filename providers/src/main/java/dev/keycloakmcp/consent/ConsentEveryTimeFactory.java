package dev.keycloakmcp.consent;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakmcp.model.McpRealm;

/**
 * The {@code mcp-consent-every-time} required action (Authentication → Required actions; an admin may disable it).
 * Added, enabled, to every realm with {@code mcp.enabled}: at startup, when such a realm is created or imported, and
 * at its first MCP client registration; the additive install script registers it too. An admin may disable it (a
 * deleted one comes back).
 */
public class ConsentEveryTimeFactory implements RequiredActionFactory {

    public static final String ID = "mcp-consent-every-time";
    static final String DISPLAY_TEXT = "MCP: ask for consent on every authorization by a self-registered client";
    private static final Logger LOG = Logger.getLogger(ConsentEveryTimeFactory.class);
    private static final ConsentEveryTime INSTANCE = new ConsentEveryTime();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return DISPLAY_TEXT;
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        // Realms that were MCP realms before this version was installed (an import skips existing realms).
        try {
            KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                    .filter(McpRealm::isEnabled).forEach(ConsentEveryTimeFactory::register));
        } catch (RuntimeException e) {
            // Another node of a cluster may be adding it at the same moment; the realm has it either way.
            LOG.warnf("Could not add the required action %s to the MCP realms at startup: %s", ID, e.getMessage());
        }
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created && McpRealm.isEnabled(created.getCreatedRealm())) {
                register(created.getCreatedRealm());
            }
        });
    }

    /**
     * Called on each MCP registration: Keycloak publishes no event when an admin switches {@code mcp.enabled} on, and
     * no self-registered client exists before a registration. Added in a transaction of its own, so that two nodes
     * adding it at once cannot fail the registration itself.
     */
    public static void ensureRegistered(KeycloakSession session, RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(ID) != null) {
            return;
        }
        String realmId = realm.getId();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> register(own.realms().getRealm(realmId)));
        } catch (RuntimeException e) {
            LOG.warnf("Could not add the required action %s to realm %s: %s", ID, realm.getName(), e.getMessage());
        }
    }

    /** Adds the required action to {@code realm} unless it is there (enabled, or disabled by an admin). */
    static void register(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(ID) != null) {
            return;
        }
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(ID);
        action.setProviderId(ID);
        action.setName(DISPLAY_TEXT);
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority).max().orElse(0) + 10);
        realm.addRequiredActionProvider(action);
    }

    @Override
    public void close() {
    }
}
