package dev.keycloakmcp.spring;

import java.util.Set;

import org.springframework.security.access.AccessDeniedException;

/** A valid token without every scope the request needs; carries them all for the 403 challenge. */
final class InsufficientScopeException extends AccessDeniedException {

    private final Set<String> requiredScopes;

    InsufficientScopeException(Set<String> requiredScopes) {
        super("The access token lacks a scope this request needs: " + requiredScopes);
        this.requiredScopes = requiredScopes;
    }

    Set<String> requiredScopes() {
        return requiredScopes;
    }
}
