package dev.keycloakmcp.consent;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

import dev.keycloakmcp.model.McpRealm;

/**
 * The {@code mcp-consent-every-time} required action (Authentication → Required actions; an admin may disable it).
 * Added, enabled, to every MCP realm created or imported with {@code mcp.enabled}; the additive install script
 * registers it in an existing realm.
 */
public class ConsentEveryTimeFactory implements RequiredActionFactory {

    public static final String ID = "mcp-consent-every-time";
    private static final ConsentEveryTime INSTANCE = new ConsentEveryTime();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayText() {
        return "MCP: ask for consent on every authorization by a self-registered client";
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
        factory.register(event -> {
            if (event instanceof RealmModel.RealmPostCreateEvent created && McpRealm.isEnabled(created.getCreatedRealm())) {
                register(created.getCreatedRealm());
            }
        });
    }

    private void register(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(ID) != null) {
            return;
        }
        RequiredActionProviderModel action = new RequiredActionProviderModel();
        action.setAlias(ID);
        action.setProviderId(ID);
        action.setName(getDisplayText());
        action.setEnabled(true);
        action.setDefaultAction(false);
        action.setPriority(realm.getRequiredActionProvidersStream().mapToInt(RequiredActionProviderModel::getPriority).max().orElse(0) + 10);
        realm.addRequiredActionProvider(action);
    }

    @Override
    public void close() {
    }
}
