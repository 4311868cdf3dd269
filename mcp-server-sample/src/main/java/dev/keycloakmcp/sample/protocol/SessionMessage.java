package dev.keycloakmcp.sample.protocol;

import java.math.BigInteger;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * A JSON-RPC message of a 2025-xx client, posted on its session (or opening one with {@code initialize}), checked
 * before SDK 2.1.0's session transport reads it. The SDK turns a malformed message into a 400 or 500 whose body is
 * a serialized Java exception, or into an SSE stream that ends without an answer; checked here it gets 400
 * {@code -32600} (not a valid message) or {@code -32602} (valid, but its params are not).
 */
final class SessionMessage {

    private SessionMessage() {
    }

    /** Why {@code message} (the parsed body) cannot be served, or {@code null}. */
    static ProtocolError check(Object message, McpJsonMapper json) {
        if (!(message instanceof Map<?, ?> map)) {
            // SDK 2.1.0 takes no batches (MCP 2025-06-18 dropped them).
            return ProtocolError.invalidRequest("Invalid Request: the body must be one JSON-RPC message, not a batch");
        }
        if (!"2.0".equals(map.get("jsonrpc"))) {
            return ProtocolError.invalidRequest("Invalid Request: jsonrpc must be \"2.0\"");
        }
        if (map.containsKey("id") && id(map) == null) {
            return ProtocolError.invalidRequest("Invalid Request: id must be a string or an integer");
        }
        if (map.containsKey("method")) {
            if (!(map.get("method") instanceof String method)) {
                return ProtocolError.invalidRequest("Invalid Request: method must be a string");
            }
            if (map.containsKey("result") || map.containsKey("error")) {
                return ProtocolError.invalidRequest("Invalid Request: a message is a request, a notification or a response, not several");
            }
            if (!map.containsKey("id") && "initialize".equals(method)) {
                return ProtocolError.invalidRequest("Invalid Request: initialize is a request, it needs an id");
            }
            return RequestParams.check(method, map.get("params"), json);
        }
        // A response, to a request the server sent in this session.
        if (!map.containsKey("id") || map.containsKey("result") == map.containsKey("error")) {
            return ProtocolError.invalidRequest("Invalid Request: a response has an id and either a result or an error");
        }
        if (map.containsKey("result") && !(map.get("result") instanceof Map)) {
            return ProtocolError.invalidRequest("Invalid Request: result must be an object");
        }
        if (map.containsKey("error") && !(map.get("error") instanceof Map<?, ?> error && isInteger(error.get("code"))
                && error.get("message") instanceof String)) {
            return ProtocolError.invalidRequest("Invalid Request: error must be an object with an integer code and a string message");
        }
        return null;
    }

    /** The message's id if it is one MCP allows (a string or an integer, never null), else {@code null}. */
    static Object id(Object message) {
        Object id = message instanceof Map<?, ?> map ? map.get("id") : null;
        return id instanceof String || isInteger(id) ? id : null;
    }

    /** Whether {@code message} is a request: a method and an id. */
    static boolean isRequest(Object message) {
        return message instanceof Map<?, ?> map && map.containsKey("method") && map.containsKey("id");
    }

    /** Whether {@code message} is a response: no method. */
    static boolean isResponse(Object message) {
        return message instanceof Map<?, ?> map && !map.containsKey("method");
    }

    static String method(Object message) {
        return message instanceof Map<?, ?> map && map.get("method") instanceof String method ? method : null;
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger;
    }
}
