package dev.keycloakmcp.sample.onbehalf;

/**
 * Why no token for the downstream API could be had. Its message is what the user reads in the tool's error result: it
 * names Keycloak's OAuth error, never a token.
 */
public final class ExchangeFailure extends RuntimeException {

    /** What kind of failure, so that the tool and the metrics can tell them apart. */
    public enum Kind {
        /** Keycloak answered 400 with an OAuth error: the realm does not allow this exchange (or the token went stale). */
        REFUSED,
        /** Keycloak refused the server's own credentials (401): a configuration error of the server. */
        CLIENT_REJECTED,
        /** No usable answer: Keycloak unreachable, slow, 5xx or not JSON. */
        UNAVAILABLE,
        /** This token cannot be exchanged by this server at all (e.g. DPoP-bound), so Keycloak is not asked. */
        NOT_EXCHANGEABLE
    }

    private final Kind kind;
    private final String error;

    public ExchangeFailure(Kind kind, String error, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.error = error;
    }

    public Kind kind() {
        return kind;
    }

    /** Keycloak's OAuth error code, if it gave one. */
    public String error() {
        return error;
    }
}
