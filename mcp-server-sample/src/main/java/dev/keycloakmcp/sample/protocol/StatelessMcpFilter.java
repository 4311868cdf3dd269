package dev.keycloakmcp.sample.protocol;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.resourceserver.McpRequestBody;

/**
 * Serves MCP 2026-07-28 clients on the MCP endpoint, behind the bearer filter (a request without a valid token never
 * gets here). MCP Java SDK 2.1.0 only speaks 2025-xx: its Streamable HTTP transport answers a request without a
 * session with 400 and a non-JSON-RPC body, and nothing in it knows {@code server/discover} or the
 * {@code Mcp-Method}/{@code Mcp-Name} headers. So for a modern request ({@link ModernRequest#isModern}) this filter
 * checks the headers against the body (400 {@code -32020}/{@code -32022}), answers {@code server/discover} itself,
 * and passes everything else to the SDK's <em>stateless</em> transport, completing its answer with the 2026-07-28
 * result fields. Every other request (2025-xx clients: {@code initialize}, sessions, GET streams) goes on, through
 * {@link SessionMcpFilter}, to the session transport.
 */
public final class StatelessMcpFilter extends HttpFilter {

    private final HttpServlet statelessTransport;
    private final ServerDiscovery discovery;
    private final ModernResult results;
    private final McpJsonMapper json;
    private final int maxBodyBytes;

    /**
     * @param statelessTransport the SDK's stateless transport, with the same tools as the session server
     */
    public StatelessMcpFilter(HttpServlet statelessTransport, McpSchema.Implementation serverInfo, McpSchema.ServerCapabilities capabilities,
            McpJsonMapper json, int maxBodyBytes) {
        this.statelessTransport = statelessTransport;
        this.results = new ModernResult(serverInfo);
        this.discovery = new ServerDiscovery(capabilities, results);
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String httpMethod = request.getMethod();
        if (!"POST".equals(httpMethod)) {
            if (!"OPTIONS".equals(httpMethod) && ModernRequest.isModern(request, null)) {
                // 2026-07-28 has no GET stream and no session to DELETE (streamable-http, Backward Compatibility).
                response.setHeader("Allow", "POST");
                response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        McpRequestBody body = McpRequestBody.read(request, maxBodyBytes, json);
        if (body.refusal() != null) {
            body.refuse(response);
            return;
        }
        HttpServletRequest replayed = body.replayTo(request);
        Object message = body.message();
        if (!ModernRequest.isModern(request, message)) {
            chain.doFilter(replayed, response);
            return;
        }
        ProtocolError refused = ModernRequest.check(request, message);
        if (refused == null) {
            refused = ModernRequest.checkParams((Map<?, ?>) message, json);
        }
        Object id = message instanceof Map<?, ?> map ? map.get("id") : null;
        if (refused != null) {
            refused.write(response, id, json);
            return;
        }
        String method = (String) ((Map<?, ?>) message).get("method");
        if (id != null && ModernRequest.DISCOVER.equals(method)) {
            writeResult(response, id, discovery.result());
            return;
        }
        String accept = request.getHeader("Accept");
        if (id != null && (accept == null || !accept.contains("application/json") || !accept.contains("text/event-stream"))) {
            ProtocolError.invalidRequest("Invalid Request: the Accept header must list application/json and text/event-stream")
                    .write(response, id, json);
            return;
        }
        CapturedResponse captured = new CapturedResponse(response);
        statelessTransport.service(replayed, captured);
        complete(captured, response, id, method);
    }

    /** Sends the SDK's answer, in the form a 2026-07-28 client expects. */
    private void complete(CapturedResponse captured, HttpServletResponse response, Object id, String method) throws IOException {
        if (captured.isError()) {
            response.sendError(captured.getStatus());
            return;
        }
        String body = captured.body();
        if (body.isBlank()) {
            response.setStatus(captured.getStatus());
            return;
        }
        Map<?, ?> answer = json.readValue(body, Map.class);
        if (answer.get("result") instanceof Map<?, ?> result) {
            writeResult(response, id, results.complete(method, result));
        } else if (answer.get("error") instanceof Map<?, ?> error) {
            // An unknown method is 404 with -32601 (streamable-http, Protocol Version Header); SDK 2.1.0 sends 200.
            boolean unknown = error.get("code") instanceof Number code && code.intValue() == ProtocolError.METHOD_NOT_FOUND;
            ProtocolError.write(response, unknown ? HttpServletResponse.SC_NOT_FOUND : captured.getStatus(), id, error, json);
        } else if (answer.get("jsonRpcError") instanceof Map<?, ?> error) {
            // The transport's own refusals (e.g. 415) are a serialized exception, stack trace included: send only the error.
            ProtocolError.write(response, captured.getStatus(), id, error, json);
        } else {
            response.setStatus(captured.getStatus());
            response.setContentType("application/json");
            response.getWriter().write(body);
        }
    }

    private void writeResult(HttpServletResponse response, Object id, Map<String, Object> result) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("jsonrpc", "2.0");
        answer.put("id", id);
        answer.put("result", result);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(answer));
    }
}
