package dev.keycloakmcp.core;

import java.util.OptionalInt;

/**
 * A refused request: the OAuth error code (RFC 6749, 6750, 7591, 8707), the HTTP status and the description shown.
 * Rules throw it and never know where they are used; each entry point answers it in one place of its own (the
 * registration endpoint's JSON, the authorization endpoint's redirect or error page, the token endpoint's JSON, a
 * metadata document's error page).
 */
public final class Refusal extends Exception {

    private static final int BAD_REQUEST = 400;

    private final String error;
    private final int status;
    private final String eventError;
    private final OptionalInt retryAfter;
    private final boolean toRedirectUri;

    private Refusal(String error, int status, String description, String eventError, OptionalInt retryAfter, boolean toRedirectUri) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.eventError = eventError;
        this.retryAfter = retryAfter;
        this.toRedirectUri = toRedirectUri;
    }

    private static Refusal of(String error, int status, String description) {
        return new Refusal(error, status, description, error, OptionalInt.empty(), true);
    }

    public static Refusal invalidRequest(String description) {
        return of("invalid_request", BAD_REQUEST, description);
    }

    /** A metadata document, or its URL, that cannot identify a client. */
    public static Refusal invalidClient(String description) {
        return of("invalid_client", BAD_REQUEST, description);
    }

    public static Refusal invalidClientMetadata(String description) {
        return of("invalid_client_metadata", BAD_REQUEST, description);
    }

    public static Refusal invalidRedirectUri(String description) {
        return of("invalid_redirect_uri", BAD_REQUEST, description);
    }

    /** RFC 8707: a {@code resource} that names no MCP server, or not the authorized one. */
    public static Refusal invalidTarget(String description) {
        return of("invalid_target", BAD_REQUEST, description);
    }

    /** RFC 6749 §5.2: the client may not use this grant. */
    public static Refusal unauthorizedClient(String description) {
        return of("unauthorized_client", BAD_REQUEST, description);
    }

    /** RFC 6749 §5.2: the grant (code, device code, refresh token) is not valid for this request. */
    public static Refusal invalidGrant(String description) {
        return of("invalid_grant", BAD_REQUEST, description);
    }

    public static Refusal invalidScope(String description) {
        return of("invalid_scope", BAD_REQUEST, description);
    }

    public static Refusal unsupportedResponseType(String description) {
        return of("unsupported_response_type", BAD_REQUEST, description);
    }

    public static Refusal invalidToken(String description) {
        return of("invalid_token", 401, description);
    }

    /** The realm's cap on self-registered MCP clients is reached. */
    public static Refusal insufficientScope(String description) {
        return of("insufficient_scope", 403, description);
    }

    /** Over a rate: 429 with {@code Retry-After}; recorded in events as {@code too_many_requests}. */
    public static Refusal tooManyRequests(String description, int retryAfterSeconds) {
        return new Refusal("temporarily_unavailable", 429, description, "too_many_requests", OptionalInt.of(retryAfterSeconds), true);
    }

    /** Another request is doing the same work right now: try again in a moment (409). */
    public static Refusal busy(String description) {
        return of("temporarily_unavailable", 409, description);
    }


    /** The same refusal, recorded in the realm's events with Keycloak's error code {@code keycloakError}. */
    public Refusal loggedAs(String keycloakError) {
        return new Refusal(error, status, getMessage(), keycloakError, retryAfter, toRedirectUri);
    }

    /**
     * The same refusal, shown on an error page instead of being sent to the client's redirect URI: one that would
     * hand the answer to the wrong party.
     */
    public Refusal notToRedirectUri() {
        return new Refusal(error, status, getMessage(), eventError, retryAfter, false);
    }

    /** The OAuth error code ({@code error}). */
    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    /** The {@code error_description}, which also goes into the realm's events as the reason. */
    public String description() {
        return getMessage();
    }

    /** The error recorded in the realm's events: the OAuth code, or Keycloak's own where it has one. */
    public String eventError() {
        return eventError;
    }

    /** Seconds after which the same request may succeed, for {@code Retry-After}. */
    public OptionalInt retryAfter() {
        return retryAfter;
    }

    /** Whether the authorization endpoint may send this refusal to the (verified) redirect URI. */
    public boolean mayGoToRedirectUri() {
        return toRedirectUri;
    }
}
