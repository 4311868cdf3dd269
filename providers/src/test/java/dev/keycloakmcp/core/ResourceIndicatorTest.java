package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceIndicatorTest {

    @ParameterizedTest
    @CsvSource({
            "http://localhost:3000/mcp, http://localhost:3000/mcp",
            "HTTP://LocalHost:3000/mcp/, http://localhost:3000/mcp",
            "https://mcp.example.com, https://mcp.example.com",
            "https://mcp.example.com/, https://mcp.example.com",
            "https://mcp.example.com/tenant/MCP, https://mcp.example.com/tenant/MCP",
            "https://mcp.example.com/mcp?tenant=a, https://mcp.example.com/mcp?tenant=a"
    })
    void canonicalises(String given, String canonical) {
        assertEquals(Optional.of(canonical), ResourceIndicator.canonical(given));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "mcp", "/mcp", "urn:example:mcp", "https://mcp.example.com/mcp#frag",
            "ftp://mcp.example.com/mcp", "https://user@mcp.example.com/mcp", "http://exa mple.com"})
    void refuses(String given) {
        assertEquals(Optional.empty(), ResourceIndicator.canonical(given), given);
    }

    @org.junit.jupiter.api.Test
    void refusesNullAndOverlongValues() {
        assertEquals(Optional.empty(), ResourceIndicator.canonical(null));
        assertEquals(Optional.empty(), ResourceIndicator.canonical("https://mcp.example.com/" + "a".repeat(ResourceIndicator.MAX_LENGTH)));
    }
}
