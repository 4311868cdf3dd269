package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import io.modelcontextprotocol.json.McpJsonDefaults;

class RequiredScopesTest {

    private static final RequiredScopes SCOPES = new RequiredScopes("mcp:tools",
            Map.of("add_note", Set.of("mcp:tools:write"), "echo", Set.of()));

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\",\"arguments\":{}}} | mcp:tools mcp:tools:write",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools\\/call\",\"params\":{\"name\":\"add\\u005fnote\"}} | mcp:tools mcp:tools:write",
            "[{\"method\":\"tools/list\"},{\"method\":\"tools/call\",\"params\":{\"name\":\"add_note\"}}] | mcp:tools mcp:tools:write",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}} | mcp:tools",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"no_such_tool\"}} | mcp:tools",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"} | mcp:tools",
            "{\"method\":\"notifications/initialized\"} | mcp:tools",
            "{\"method\":\"tools/call\",\"params\":\"add_note\"} | mcp:tools mcp:tools:write",
            "{\"method\":\"tools/call\",\"params\":{\"name\":[\"add_note\"]}} | mcp:tools mcp:tools:write",
            "{\"method\":\"tools/call\",\"params\":{\"name\":7}} | mcp:tools mcp:tools:write",
            "{\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"name\":\"add_note\"}} | mcp:tools mcp:tools:write",
            "\"tools/call\" | mcp:tools",
    })
    void aRequestNeedsTheScopesOfEveryToolItCalls(String body, String expected) {
        McpRequestBody parsed = McpRequestBody.parse(body.getBytes(StandardCharsets.UTF_8), McpJsonDefaults.getMapper());
        assertEquals(null, parsed.refusal());
        assertEquals(Set.of(expected.split(" ")), SCOPES.of(parsed.message()));
    }

    @Test
    void missingScopesAreThoseRequiredButNotGranted() {
        assertEquals(Set.of("mcp:tools:write"), RequiredScopes.missing(Set.of("mcp:tools", "mcp:tools:write"), List.of("mcp:tools", "profile")));
        assertEquals(Set.of(), RequiredScopes.missing(Set.of("mcp:tools"), List.of("mcp:tools", "profile")));
    }
}
