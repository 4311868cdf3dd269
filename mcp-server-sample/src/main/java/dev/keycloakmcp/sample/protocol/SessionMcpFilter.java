package dev.keycloakmcp.sample.protocol;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;

import dev.keycloakmcp.resourceserver.McpRequestBody;

/**
 * Guards SDK 2.1.0's session transport, which serves 2025-xx clients, against the answers it gives bad input: bodies
 * that are serialized Java exceptions (stack traces included), 500s, SSE streams that end without an answer, and
 * 501 for unknown HTTP methods. Runs after the bearer and stateless filters, so it sees only authorized 2025-xx
 * requests. It checks each message ({@link SessionMessage}) and the headers the transport requires before the SDK
 * sees them, answering 4xx with a JSON-RPC error object, and sends any error the SDK still gives as one
 * ({@link SessionTransportResponse}).
 */
public final class SessionMcpFilter extends HttpFilter {

    static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final String ROOTS_LIST_CHANGED = "notifications/roots/list_changed";

    private final McpJsonMapper json;
    private final int maxBodyBytes;

    public SessionMcpFilter(McpJsonMapper json, int maxBodyBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String httpMethod = request.getMethod();
        if ("OPTIONS".equals(httpMethod)) {
            chain.doFilter(request, response);
            return;
        }
        boolean post = "POST".equals(httpMethod);
        if (!post && !"GET".equals(httpMethod) && !"DELETE".equals(httpMethod)) {
            // The servlet's default would be 405 without a body, or 501 for a method it does not know.
            response.setHeader("Allow", "GET, POST, DELETE");
            new ProtocolError(HttpServletResponse.SC_METHOD_NOT_ALLOWED, ProtocolError.INVALID_REQUEST,
                    "Invalid Request: the MCP endpoint takes GET, POST and DELETE", null).write(response, null, json);
            return;
        }
        HttpServletRequest forwarded = request;
        Object message = null;
        if (post) {
            McpRequestBody body = McpRequestBody.read(request, maxBodyBytes, json);
            if (body.refusal() != null) {
                body.refuse(response);
                return;
            }
            message = body.message();
            forwarded = body.replayTo(request);
            ProtocolError refused = SessionMessage.check(message, json);
            if (refused != null) {
                refused.write(response, SessionMessage.id(message), json);
                return;
            }
        }
        Object id = SessionMessage.isRequest(message) ? SessionMessage.id(message) : null;
        ProtocolError refused = checkHeaders(request, post, SessionMessage.method(message));
        if (refused != null) {
            refused.write(response, id, json);
            return;
        }
        if (ROOTS_LIST_CHANGED.equals(SessionMessage.method(message)) && !SessionMessage.isRequest(message)) {
            // The sample uses no roots. The SDK would ask the client for them over the session's GET stream, and
            // answer 500 when none is open: accepted and ignored here.
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        SessionTransportResponse transportResponse = new SessionTransportResponse(response);
        chain.doFilter(forwarded, transportResponse);
        transportResponse.sendHeldError(id, SessionMessage.isResponse(message), json);
    }

    /** The transport's header rules (2025-xx Streamable HTTP), or {@code null} when the request meets them. */
    private static ProtocolError checkHeaders(HttpServletRequest request, boolean post, String method) {
        String accept = request.getHeader("Accept");
        boolean events = accept != null && accept.contains("text/event-stream");
        if (post && (!events || !accept.contains("application/json"))) {
            return ProtocolError.invalidRequest("Invalid Request: the Accept header must list application/json and text/event-stream");
        }
        if (!post && "GET".equals(request.getMethod()) && !events) {
            return ProtocolError.invalidRequest("Invalid Request: the Accept header must list text/event-stream");
        }
        String session = request.getHeader(SESSION_HEADER);
        if (!"initialize".equals(method) && (session == null || session.isBlank())) {
            return ProtocolError.invalidRequest("Invalid Request: the Mcp-Session-Id header is required (initialize opens a session)");
        }
        return null;
    }
}
