package dev.keycloakmcp.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SampleServerConfigTest {

    @Test
    void demoDefaults() {
        SampleServerConfig config = SampleServerConfig.fromEnvironment(new String[0], Map.of());
        assertEquals("http://localhost:8080/realms/mcp", config.issuer());
        assertEquals("http://localhost:3000/mcp", config.resource());
        assertEquals("http://localhost:3000/mcp", config.clientId());
        assertEquals(3000, config.port());
        assertEquals("/mcp", config.mcpPath());
        assertEquals("http://localhost:3000/.well-known/oauth-protected-resource/mcp", config.protectedResourceMetadataUrl());
    }

    @Test
    void flagsWinOverEnvironmentAndTheResourceIsCanonical() {
        SampleServerConfig config = SampleServerConfig.fromEnvironment(
                new String[] {"--resource=HTTPS://MCP.Example.com/Tools/", "--port=8443"},
                Map.of("MCP_RESOURCE", "http://ignored/mcp", "MCP_ISSUER", "https://sso.example.com/realms/mcp/"));
        assertEquals("https://mcp.example.com/Tools", config.resource());
        assertEquals("https://sso.example.com/realms/mcp", config.issuer());
        assertEquals("/Tools", config.mcpPath());
        assertEquals("https://mcp.example.com/.well-known/oauth-protected-resource/Tools", config.protectedResourceMetadataUrl());
        assertEquals(8443, config.port());
    }

    @Test
    void wrongSettingsFailWithAClearMessage() {
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> SampleServerConfig.fromEnvironment(new String[0], Map.of("MCP_PORT", "http")));
        assertTrue(port.getMessage().contains("MCP_PORT"));
        IllegalArgumentException resource = assertThrows(IllegalArgumentException.class,
                () -> SampleServerConfig.fromEnvironment(new String[] {"--resource=/mcp"}, Map.of()));
        assertTrue(resource.getMessage().contains("MCP_RESOURCE"));
        assertThrows(IllegalArgumentException.class, () -> SampleServerConfig.fromEnvironment(new String[] {"verbose"}, Map.of()));
    }

    @Test
    void challengesNameTheMetadataAndTheScope() {
        SampleServerConfig config = SampleServerConfig.fromEnvironment(new String[0], Map.of());
        assertEquals("Bearer resource_metadata=\"http://localhost:3000/.well-known/oauth-protected-resource/mcp\", scope=\"mcp:tools\"",
                BearerChallenge.unauthorized(config, false));
        assertTrue(BearerChallenge.unauthorized(config, true).startsWith("Bearer error=\"invalid_token\""));
        assertTrue(BearerChallenge.insufficientScope(config).startsWith("Bearer error=\"insufficient_scope\", scope=\"mcp:tools\""));
    }
}
