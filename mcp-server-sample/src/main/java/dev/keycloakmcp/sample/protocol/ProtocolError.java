package dev.keycloakmcp.sample.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * A JSON-RPC error answered with its HTTP status, to MCP 2026-07-28 clients (these are the errors a modern client
 * recognizes, streamable-http Backward Compatibility: it corrects or retries the request instead of falling back to
 * {@code initialize}) and on the 2025-xx session path alike. Its message is written here, never taken from an
 * exception: nothing internal reaches a client.
 *
 * @param data {@code error.data}, or {@code null}
 */
public record ProtocolError(int status, int code, String message, Object data) {

    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    /** The MCP SDKs' code for an unknown session (with 404, which makes a 2025-xx client initialize again). */
    static final int SESSION_NOT_FOUND = -32001;
    static final int HEADER_MISMATCH = -32020;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    static ProtocolError invalidRequest(String message) {
        return new ProtocolError(HttpServletResponse.SC_BAD_REQUEST, INVALID_REQUEST, message, null);
    }

    static ProtocolError invalidParams(String message) {
        return new ProtocolError(HttpServletResponse.SC_BAD_REQUEST, INVALID_PARAMS, message, null);
    }

    static ProtocolError sessionNotFound() {
        return new ProtocolError(HttpServletResponse.SC_NOT_FOUND, SESSION_NOT_FOUND, "Session not found", null);
    }

    /** The error for a bare status or an SDK error body: the code kept, the message JSON-RPC's standard one. */
    static ProtocolError standard(int status, int code) {
        String message = switch (code) {
            case -32700 -> "Parse error";
            case INVALID_REQUEST -> "Invalid Request";
            case METHOD_NOT_FOUND -> "Method not found";
            case INVALID_PARAMS -> "Invalid params";
            default -> status >= 500 ? "Internal error" : "Invalid Request";
        };
        return new ProtocolError(status, code, message, null);
    }

    static ProtocolError headerMismatch(String message) {
        return new ProtocolError(HttpServletResponse.SC_BAD_REQUEST, HEADER_MISMATCH, "Header mismatch: " + message, null);
    }

    static ProtocolError unsupportedVersion(String requested) {
        return new ProtocolError(HttpServletResponse.SC_BAD_REQUEST, UNSUPPORTED_PROTOCOL_VERSION, "Unsupported protocol version",
                Map.of("supported", List.of(ModernRequest.VERSION), "requested", requested));
    }

    /** Writes the error response; {@code id} is the request's, or {@code null} when there is none (then no id). */
    void write(HttpServletResponse response, Object id, McpJsonMapper json) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.put("data", data);
        }
        write(response, status, id, error, json);
    }

    static void write(HttpServletResponse response, int status, Object id, Object error, McpJsonMapper json) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        if (id != null) {
            body.put("id", id);
        }
        body.put("error", error);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(body));
    }
}
