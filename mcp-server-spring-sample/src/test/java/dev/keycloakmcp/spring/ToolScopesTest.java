package dev.keycloakmcp.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.json.JsonMapper;

class ToolScopesTest {

    private static final ToolScopes SCOPES = new ToolScopes("mcp:tools", Map.of("add_note", "mcp:tools:write"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            initialize                   | {"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}                                  | mcp:tools
            a read tool                  | {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami"}}                   | mcp:tools
            the write tool               | {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_note","arguments":{}}} | mcp:tools mcp:tools:write
            the write tool's name only   | {"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"name":"add_note"}}                 | mcp:tools
            a batch with the write tool  | [{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo"}},{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add_note"}}] | mcp:tools mcp:tools:write
            a name that is not a string  | {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":["add_note"]}}               | mcp:tools mcp:tools:write
            no name                      | {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{}}                                  | mcp:tools mcp:tools:write
            a response                   | {"jsonrpc":"2.0","id":1,"result":{}}                                                        | mcp:tools
            not an object                | "tools/call"                                                                                | mcp:tools
            """)
    void everyScopeTheBodyNeeds(String description, String body, String expected) {
        assertEquals(List.of(expected.split(" ")), List.copyOf(SCOPES.requiredBy(JsonMapper.builder().build().readTree(body))));
    }
}
