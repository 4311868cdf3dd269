package dev.keycloakmcp.cimd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DocumentClientsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NONE", value = {
            "mcp.example.com, mcp.example.com",
            "MCP.Example.COM, mcp.example.com",
            "' vscode.dev ', vscode.dev",
            "claude.ai., claude.ai",
            "localhost, localhost",
            "https://evil.example/x, NONE",
            "evil.example:443, NONE",
            "evil.example/path, NONE",
            "*.example.com, NONE",
            ".example.com, NONE",
            "'', NONE",
            "NONE, NONE",
            "ex ample.com, NONE",
            "-bad.example, NONE",
    })
    void aHostToBlockIsADomainName(String asked, String expected) {
        assertEquals(Optional.ofNullable(expected), DocumentClients.hostName(asked));
    }
}
