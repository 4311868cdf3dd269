package dev.keycloakmcp.core;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;

/**
 * A required action that only adjusts the authorization in its trigger step ({@code evaluateTriggers}): never added to a
 * user, so it never asks the user anything.
 */
public abstract class TriggerOnlyRequiredAction implements RequiredActionProvider {

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        context.success();
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.success();
    }

    @Override
    public void close() {
    }
}
