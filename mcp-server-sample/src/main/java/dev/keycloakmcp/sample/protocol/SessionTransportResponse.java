package dev.keycloakmcp.sample.protocol;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * The response given to SDK 2.1.0's session transport, holding back its error answers so that they are sent as
 * JSON-RPC error objects. The SDK writes an error as a serialized {@code McpError} (its stack trace, class names,
 * exception texts) or as a bare {@code sendError} status; both are synchronous, and always set the error status
 * before writing, so only a body written after a status of 400 or more is held: results and SSE streams pass
 * straight through.
 */
final class SessionTransportResponse extends HttpServletResponseWrapper {

    private final CharArrayWriter held = new CharArrayWriter();
    private PrintWriter heldWriter;
    private boolean errorSent;

    SessionTransportResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (getStatus() < 400 && heldWriter == null) {
            return super.getWriter();
        }
        if (heldWriter == null) {
            heldWriter = new PrintWriter(held);
        }
        return heldWriter;
    }

    @Override
    public void sendError(int status) {
        sendError(status, null);
    }

    @Override
    public void sendError(int status, String message) {
        setStatus(status);
        errorSent = true;
    }

    /**
     * Sends the held error, if the SDK answered with one, as a JSON-RPC error object: its status and code kept, the
     * message the standard one for the code.
     *
     * @param id the request's id, or {@code null} (a notification or response: the error then has no id)
     * @param answersResponse whether the client posted a response: the SDK fails on it only when the session awaits
     *            no response with that id, the client's error, which it answers with 500
     */
    void sendHeldError(Object id, boolean answersResponse, McpJsonMapper json) throws IOException {
        if (!errorSent && heldWriter == null) {
            return;
        }
        int status = getStatus();
        ProtocolError error;
        if (answersResponse && status >= 500) {
            error = ProtocolError.invalidRequest("Invalid Request: this session awaits no response with that id");
        } else if (status == HttpServletResponse.SC_NOT_FOUND) {
            // A session the SDK no longer has (deleted, or closed): answered as the bearer filter answers an unknown one.
            error = ProtocolError.sessionNotFound();
        } else {
            error = ProtocolError.standard(status, code(status, json));
        }
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.resetBuffer();
        error.write(response, id, json);
    }

    /** {@code jsonRpcError.code} of the SDK's body, else the code that fits the status. */
    private int code(int status, McpJsonMapper json) {
        if (heldWriter != null) {
            heldWriter.flush();
            try {
                if (json.readValue(held.toString(), Map.class).get("jsonRpcError") instanceof Map<?, ?> error
                        && error.get("code") instanceof Number code) {
                    return code.intValue();
                }
            } catch (IOException | RuntimeException e) {
                // Not the SDK's error shape: fall back to the status.
            }
        }
        return status >= 500 ? ProtocolError.INTERNAL_ERROR : ProtocolError.INVALID_REQUEST;
    }
}
