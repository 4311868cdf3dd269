package dev.keycloakmcp.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McpClientDirectoryTest {

    /** The per-host cap counts a host however its URLs spell it. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "https://claude.ai/oauth/mcp-client.json, claude.ai",
            "https://Claude.AI/other/path.json, claude.ai",
            "https://docs.example.com:8443/a?b=c, docs.example.com",
            "http://localhost:3000/doc.json, localhost",
            "https://[::1]/doc.json, [::1]",
            "a-registered-client-id, null",
            "'https://bad host/x', null",
    })
    void theHostOfADocumentUrlIsItsLowerCaseHost(String clientId, String host) {
        assertEquals(Optional.ofNullable(host), McpClientDirectory.publishingHost(clientId));
    }
}
