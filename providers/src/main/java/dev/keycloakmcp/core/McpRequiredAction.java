package dev.keycloakmcp.core;

import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/**
 * One of the pack's required actions, which every MCP realm has ({@link McpRealmSetup}): used only for its trigger
 * step ({@code evaluateTriggers}, which Keycloak calls for every enabled required action of the realm after sign-in
 * and before its consent check), never asked of a user.
 */
public record McpRequiredAction(String alias, String displayText) {

    boolean isIn(RealmModel realm) {
        return realm.getRequiredActionProviderByAlias(alias) != null;
    }

    /** Adds the action to {@code realm} unless it is there (enabled, or disabled by an admin). */
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
