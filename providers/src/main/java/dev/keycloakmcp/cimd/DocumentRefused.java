package dev.keycloakmcp.cimd;

import jakarta.ws.rs.core.Response;

/**
 * A metadata document (or its URL) that cannot make a client, with the answer to give: an error page, never a
 * redirect, because nothing the document says is trusted yet (RFC 6749 §4.1.2.1).
 */
public final class DocumentRefused extends Exception {

    private final String error;
    private final Response.Status status;

    DocumentRefused(String error, Response.Status status, String reason) {
        super(reason, null, false, false);
        this.error = error;
        this.status = status;
    }

    /** A document or URL refused for what it is or says ({@code invalid_client}, 400). */
    static DocumentRefused invalid(String reason) {
        return new DocumentRefused("invalid_client", Response.Status.BAD_REQUEST, reason);
    }

    public String error() {
        return error;
    }

    public Response.Status status() {
        return status;
    }
}
