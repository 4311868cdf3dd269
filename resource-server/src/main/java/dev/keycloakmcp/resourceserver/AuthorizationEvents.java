package dev.keycloakmcp.resourceserver;

/**
 * What the guard reports as it works, for a server to count in its own metrics (the sample server counts them with
 * Micrometer). Every value is from a fixed set: HTTP statuses, OAuth error codes, outcomes; never a token, user or
 * client. Called on request threads: implementations must be quick and thread-safe.
 */
public interface AuthorizationEvents {

    /** Reports nothing. */
    AuthorizationEvents NONE = new AuthorizationEvents() {
    };

    /** A request refused with a {@code WWW-Authenticate} challenge; {@code error} is null when no token was presented. */
    default void challenge(int status, String error) {
    }

    /** A request answered 503: the token could not be verified (Keycloak unreachable, slow or overloaded). */
    default void unavailable() {
    }

    /** A token verification found an answer in the introspection cache ({@code hit}) or not. */
    default void cacheLookup(boolean hit) {
    }

    /**
     * An introspection that ended with {@code outcome} ({@code active}, {@code inactive}, {@code failed}, or
     * {@code busy}: over the in-flight limit, not sent) after {@code nanos}.
     */
    default void introspection(String outcome, long nanos) {
    }

    /**
     * A DPoP decision: {@code accepted} (a proof checked and spent), or why a request was refused: a proof verdict
     * ({@code replayed}, {@code wrong_url}, ... see {@link DpopProofCheck.Verdict}), {@code unbound_token} (DPoP scheme,
     * Bearer token), {@code bound_token_as_bearer}, or {@code bearer_refused} (the server requires DPoP).
     */
    default void dpop(String outcome) {
    }
}
