package dev.keycloakmcp.core;

import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * One of the pack's required actions, which {@link McpRealmSetup} adds to every MCP realm.
 * It acts in its trigger step only ({@link TriggerOnlyRequiredAction}).
 */
public record McpRequiredAction(String alias, String displayText) {

    boolean isIn(RealmModel realm) {
        return realm.getRequiredActionProviderByAlias(alias) != null;
    }

    /** Adds the action to {@code realm} unless it is there (enabled, or disabled by an admin): a deleted one comes back. */
    void addTo(RealmModel realm) {
        if (isIn(realm)) {
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
