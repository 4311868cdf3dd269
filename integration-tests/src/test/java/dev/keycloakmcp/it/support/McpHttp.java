package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MCP over plain HTTP, for tests that look at what the MCP server answers at the HTTP level (status,
 * {@code WWW-Authenticate}) where an SDK client would only throw.
 */
public final class McpHttp {

    public static final String ACCEPT = "application/json, text/event-stream";
    private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Http http = new Http();
    private final String url;

    public McpHttp(String url) {
        this.url = url;
    }

    public HttpResponse<String> post(String token, String session, String body) {
        List<String> headers = new ArrayList<>(List.of("Accept", ACCEPT));
        if (token != null) {
            headers.addAll(List.of("Authorization", "Bearer " + token));
        }
        if (session != null) {
            headers.addAll(List.of("Mcp-Session-Id", session));
        }
        return http.postJson(url, body, headers.toArray(String[]::new));
    }

    /** Opens an MCP session (initialize + initialized) and returns its id. */
    public String initialize(String token) {
        HttpResponse<String> response = post(token, null, initializeRequest());
        assertEquals(200, response.statusCode(), response::body);
        String session = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        post(token, session, Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")));
        return session;
    }

    public HttpResponse<String> callTool(String token, String session, String tool, Map<String, Object> arguments) {
        return post(token, session, Json.write(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call",
                "params", Map.of("name", tool, "arguments", arguments))));
    }

    public static String initializeRequest() {
        return Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params",
                Map.of("protocolVersion", "2025-06-18", "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))));
    }

    /** The JSON-RPC message of a response, sent as JSON or as one server-sent event. */
    public static Map<String, Object> message(HttpResponse<String> response) {
        String body = response.body().strip();
        if (!body.startsWith("{")) {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:")) {
                    return Json.object(line.substring(5).strip());
                }
            }
        }
        return Json.object(body);
    }

    /** The parameters of a {@code WWW-Authenticate: Bearer ...} challenge. */
    public static Map<String, String> challenge(HttpResponse<String> response) {
        String header = response.headers().firstValue("WWW-Authenticate").orElseThrow(() -> new AssertionError(
                "No WWW-Authenticate in " + response.statusCode() + " " + response.body()));
        assertEquals("Bearer ", header.substring(0, 7));
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        Matcher matcher = CHALLENGE_PARAMETER.matcher(header);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        return parameters;
    }
}
