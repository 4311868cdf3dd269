package dev.keycloakmcp.authorization;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.keycloakmcp.core.Refusal;

class ResourceRequestTest {

    private static final String SERVER = "https://mcp.example.com/mcp";

    @Test
    void aRequestNamesAtMostOneResource() throws Refusal {
        assertEquals(Optional.empty(), ResourceRequest.single(null));
        assertEquals(Optional.empty(), ResourceRequest.single(List.of()));
        assertEquals(Optional.empty(), ResourceRequest.single(Arrays.asList("", " ", null)));
        assertEquals(Optional.of(SERVER), ResourceRequest.single(List.of(SERVER)));
        assertEquals(Optional.of(SERVER), ResourceRequest.single(List.of(SERVER, SERVER)), "a repeated value is one resource");
        assertThrows(Refusal.class, () -> ResourceRequest.single(List.of(SERVER, "https://other.example.com/mcp")));
    }

    @ParameterizedTest(name = "{0} is authorized by {1}")
    @CsvSource({
            "https://mcp.example.com/mcp, https://mcp.example.com/mcp",
            "HTTPS://MCP.example.com/mcp, https://mcp.example.com/mcp",
            "https://mcp.example.com/mcp/, https://mcp.example.com/mcp",
            "https://mcp.example.com/mcp, https://mcp.example.com/mcp|https://other.example.com/mcp",
    })
    void theAuthorizedResourceInAnySpellingIsAccepted(String requested, String authorized) {
        assertDoesNotThrow(() -> ResourceRequest.requireAuthorized(requested, List.of(authorized.split("\\|")), "refused"));
    }

    @ParameterizedTest(name = "{0} is not authorized by {1}")
    @CsvSource({
            "https://other.example.com/mcp, https://mcp.example.com/mcp",
            "https://mcp.example.com/mcp2, https://mcp.example.com/mcp",
            "https://mcp.example.com:8443/mcp, https://mcp.example.com/mcp",
            "not a url, not a url",
    })
    void anotherResourceIsRefused(String requested, String authorized) {
        Refusal refusal = assertThrows(Refusal.class, () -> ResourceRequest.requireAuthorized(requested, List.of(authorized), "refused"));
        assertEquals("refused", refusal.getMessage());
    }

    @Test
    void nothingAuthorizedMeansNoResourceMayBeNamed() {
        assertThrows(Refusal.class, () -> ResourceRequest.requireAuthorized(SERVER, List.of(), "refused"));
    }
}
