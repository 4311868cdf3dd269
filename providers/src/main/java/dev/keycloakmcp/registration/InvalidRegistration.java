package dev.keycloakmcp.registration;

import org.keycloak.services.clientregistration.ErrorCodes;

/** A registration refused for its content, with the RFC 7591 error code to answer with. */
public final class InvalidRegistration extends Exception {

    private final String error;

    private InvalidRegistration(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public static InvalidRegistration metadata(String description) {
        return new InvalidRegistration(ErrorCodes.INVALID_CLIENT_METADATA, description);
    }

    static InvalidRegistration redirectUri(String description) {
        return new InvalidRegistration(ErrorCodes.INVALID_REDIRECT_URI, description);
    }

    public String error() {
        return error;
    }
}
