package dev.keycloakmcp.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;

/** JSON for tests, with the mapper the MCP SDK already brings. */
public final class Json {

    private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
    };
    private static final TypeRef<List<Map<String, Object>>> ARRAY = new TypeRef<>() {
    };

    private Json() {
    }

    public static Map<String, Object> object(String json) {
        try {
            return McpJsonDefaults.getMapper().readValue(json, OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON object: " + json, e);
        }
    }

    public static List<Map<String, Object>> array(String json) {
        try {
            return McpJsonDefaults.getMapper().readValue(json, ARRAY);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON array: " + json, e);
        }
    }

    public static String write(Object value) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
