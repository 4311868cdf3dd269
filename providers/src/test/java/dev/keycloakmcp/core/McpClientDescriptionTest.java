package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class McpClientDescriptionTest {

    @Test
    void newClientsSayHowTheyIdentifiedThemselves() {
        assertEquals(Optional.of("MCP client that registered itself (not verified by your organisation)"),
                McpClientDescription.of(McpClientKind.DYNAMIC, "4f1c…"));
        assertEquals(Optional.of("MCP client identified by its metadata document at vscode.dev"),
                McpClientDescription.of(McpClientKind.METADATA_DOCUMENT, "https://VSCode.dev/oauth/client-metadata.json"));
        assertEquals(Optional.empty(), McpClientDescription.of(McpClientKind.PREREGISTERED, "admin-made"),
                "an admin's own description is theirs");
        assertEquals(Optional.empty(), McpClientDescription.of(McpClientKind.MACHINE, "ci-agent"));
    }

    static Stream<Arguments> servers() {
        String base = "MCP client that registered itself (not verified by your organisation)";
        String one = base + " · MCP servers: Sample MCP server";
        return Stream.of(
                Arguments.of(base, "Sample MCP server", one),
                Arguments.of(one, "Sample MCP server", one),
                Arguments.of(one, "Sample", one + ", Sample"),
                Arguments.of(one + ", Notes", "Notes", one + ", Notes"),
                Arguments.of(null, "Notes", " · MCP servers: Notes"),
                Arguments.of("x".repeat(240), "A server with a long name", "x".repeat(240)));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void aGrantedServerIsNamedOnce(String description, String server, String expected) {
        assertEquals(expected, McpClientDescription.withServer(description, server));
    }
}
