package dev.keycloakmcp.enterprise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.keycloakmcp.core.Refusal;

class AssertedScopeTest {

    @ParameterizedTest(name = "requested ''{0}'', asserted ''{1}'' -> ''{2}''")
    @CsvSource(nullValues = "null", value = {
            "null, mcp:tools mcp:read, mcp:tools mcp:read",
            "'', mcp:tools, mcp:tools",
            "mcp:tools, mcp:tools mcp:read, mcp:tools",
            "mcp:tools admin, mcp:tools, mcp:tools",
            "mcp:read   mcp:tools, mcp:tools mcp:read, mcp:read mcp:tools",
            "mcp:tools mcp:tools, mcp:tools, mcp:tools",
            "null, '', ''"})
    void grantsTheRequestTrimmedToTheAssertion(String requested, String asserted, String granted) throws Refusal {
        assertEquals(granted, AssertedScope.granted(requested, asserted));
    }

    @ParameterizedTest
    @CsvSource({"admin, mcp:tools", "mcp:tools, ''", "MCP:TOOLS, mcp:tools"})
    void nothingInCommonIsInvalidScope(String requested, String asserted) {
        assertEquals("invalid_scope", assertThrows(Refusal.class, () -> AssertedScope.granted(requested, asserted)).error());
    }
}
