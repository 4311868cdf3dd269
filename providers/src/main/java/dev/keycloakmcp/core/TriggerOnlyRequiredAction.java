package dev.keycloakmcp.core;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;

/**
 * A required action that only adjusts the authorization in its trigger step ({@code evaluateTriggers}).
 * Keycloak calls that step for every enabled required action of the realm after sign-in and before its consent check;
 * the action is never added to a user, so it never asks the user anything.
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
