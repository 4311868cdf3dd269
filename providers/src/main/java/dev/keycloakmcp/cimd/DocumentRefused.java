package dev.keycloakmcp.cimd;

import java.util.OptionalInt;

import jakarta.ws.rs.core.Response;

/**
 * A metadata document (or its URL) that cannot make a client, with the answer to give: an error page, never a
 * redirect, because nothing the document says is trusted yet (RFC 6749 §4.1.2.1).
 */
public final class DocumentRefused extends Exception {

    private final String error;
    private final Response.Status status;
    private final OptionalInt retryAfter;

    DocumentRefused(String error, Response.Status status, String reason) {
        this(error, status, reason, OptionalInt.empty());
    }

    private DocumentRefused(String error, Response.Status status, String reason, OptionalInt retryAfter) {
        super(reason, null, false, false);
        this.error = error;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** A document or URL refused for what it is or says ({@code invalid_client}, 400). */
    static DocumentRefused invalid(String reason) {
        return new DocumentRefused("invalid_client", Response.Status.BAD_REQUEST, reason);
    }

    /** Over the realm's rate of new MCP clients: 429 with {@code Retry-After}, as the registration endpoint answers. */
    static DocumentRefused tooManyRequests(String reason, int retryAfterSeconds) {
        return new DocumentRefused("too_many_requests", Response.Status.TOO_MANY_REQUESTS, reason, OptionalInt.of(retryAfterSeconds));
    }

    public String error() {
        return error;
    }

    public Response.Status status() {
        return status;
    }

    /** Seconds after which the same request may succeed, for {@code Retry-After}. */
    public OptionalInt retryAfter() {
        return retryAfter;
    }
}
