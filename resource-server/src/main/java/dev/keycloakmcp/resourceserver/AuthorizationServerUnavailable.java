package dev.keycloakmcp.resourceserver;

import java.io.IOException;

/** Keycloak could not be asked about a token (down, slow, or refusing the server's credentials): fail closed. */
public final class AuthorizationServerUnavailable extends IOException {

    public AuthorizationServerUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
