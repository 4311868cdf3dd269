package dev.keycloakmcp.core;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** The factory of one of the pack's required actions ({@link McpRequiredAction}), with one stateless provider. */
public abstract class McpRequiredActionFactory implements RequiredActionFactory {

    private final McpRequiredAction action;
    private final RequiredActionProvider provider;

    protected McpRequiredActionFactory(McpRequiredAction action, RequiredActionProvider provider) {
        this.action = action;
        this.provider = provider;
    }

    @Override
    public String getId() {
        return action.alias();
    }

    @Override
    public String getDisplayText() {
        return action.displayText();
    }

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return provider;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
