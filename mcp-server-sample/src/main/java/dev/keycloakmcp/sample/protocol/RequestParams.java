package dev.keycloakmcp.sample.protocol;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * What MCP requires of the params of the requests the sample serves, checked before the SDK reads them. SDK 2.1.0
 * reads params outside its error handling: missing or mistyped ones give a 500 with the exception's text
 * ({@code initialize}), an SSE stream that ends without an answer ({@code tools/call}), an internal error naming its
 * classes ({@code logging/setLevel}), or are silently ignored. They are the client's error: 400 {@code -32602}.
 */
final class RequestParams {

    /** How the SDK reads the params of each method it serves (a conversion that fails here would fail there). */
    private static final Map<String, Class<?>> TYPES = Map.of("initialize", McpSchema.InitializeRequest.class,
            "tools/call", McpSchema.CallToolRequest.class, "tools/list", McpSchema.PaginatedRequest.class,
            "logging/setLevel", McpSchema.SetLevelRequest.class);
    /** The spec's LoggingLevel values (RFC 5424 severities); SDK 2.1.0 reads any other as no level at all. */
    private static final List<String> LOGGING_LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical", "alert",
            "emergency");

    private RequestParams() {
    }

    /** Why {@code params} are not valid for {@code method}, or {@code null}; absent params are {@code null}. */
    static ProtocolError check(String method, Object params, McpJsonMapper json) {
        if (params != null && !(params instanceof Map)) {
            return ProtocolError.invalidParams("Invalid params: params must be an object");
        }
        Map<?, ?> fields = params == null ? Map.of() : (Map<?, ?>) params;
        String required = switch (method) {
            case "initialize" -> fields.get("protocolVersion") instanceof String && fields.get("capabilities") instanceof Map
                    && fields.get("clientInfo") instanceof Map<?, ?> client && client.get("name") instanceof String
                    && client.get("version") instanceof String ? null
                    : "initialize needs params.protocolVersion (a string), params.capabilities (an object) and params.clientInfo "
                            + "(an object with name and version)";
            case "tools/call" -> fields.get("name") instanceof String && (fields.get("arguments") == null || fields.get("arguments") instanceof Map)
                    ? null : "tools/call needs params.name (a string), and params.arguments, if sent, must be an object";
            case "logging/setLevel" -> fields.get("level") instanceof String level && LOGGING_LEVELS.contains(level) ? null
                    : "logging/setLevel needs params.level, one of " + String.join(", ", LOGGING_LEVELS);
            default -> null;
        };
        if (required != null) {
            return ProtocolError.invalidParams("Invalid params: " + required);
        }
        Class<?> type = TYPES.get(method);
        if (type == null || params == null) {
            return null;
        }
        try {
            json.convertValue(params, type);
            return null;
        } catch (RuntimeException e) {
            return ProtocolError.invalidParams("Invalid params for " + method);
        }
    }
}
