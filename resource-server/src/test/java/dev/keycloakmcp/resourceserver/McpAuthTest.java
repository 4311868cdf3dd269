package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;

class McpAuthTest {

    private static McpAuth auth(String resource) {
        McpAuthSettings defaults = StubAuthorizationServer.defaultSettings();
        McpAuthSettings settings = new McpAuthSettings(defaults.issuer(), resource, null, null, "secret", "mcp:tools",
                defaults.introspection(), defaults.signedTokens());
        // No call is made: the verifier is never asked.
        TokenVerifier idle = TokenVerifier.introspectionOnly(null, settings.introspection(), AuthorizationEvents.NONE);
        return new McpAuth(settings, idle, new RequiredScopes("mcp:tools", Map.of()), McpJsonDefaults.getMapper());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "https://mcp.example.com/mcp  | https://mcp.example.com/.well-known/oauth-protected-resource/mcp | /.well-known/oauth-protected-resource/mcp /.well-known/oauth-protected-resource",
            "HTTPS://MCP.example.com/a/b/ | https://mcp.example.com/.well-known/oauth-protected-resource/a/b | /.well-known/oauth-protected-resource/a/b /.well-known/oauth-protected-resource",
            "https://mcp.example.com      | https://mcp.example.com/.well-known/oauth-protected-resource     | /.well-known/oauth-protected-resource",
            "http://localhost:3000/       | http://localhost:3000/.well-known/oauth-protected-resource      | /.well-known/oauth-protected-resource",
    })
    void metadataIsWhereRfc9728PutsItForTheCanonicalUrl(String resource, String metadataUrl, String paths) {
        McpAuth auth = auth(resource);
        assertEquals(metadataUrl, auth.settings().protectedResourceMetadataUrl());
        assertEquals(List.of(paths.split(" ")), auth.metadataPaths());
    }

    @Test
    void toolsWithoutTheGuardsGrantFailLoudly() {
        assertThrows(IllegalStateException.class, () -> AccessGrant.of(McpTransportContext.EMPTY));
        AccessGrant grant = new AccessGrant("sub", "alice", "client", Set.of("mcp:tools"), 0);
        assertEquals(grant, AccessGrant.of(McpTransportContext.create(Map.of(AccessGrant.CONTEXT_KEY, grant))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://mcp.example.com/mcp",
            "https://mcp.example.com/mcp?tenant=a",
            "https://mcp.example.com/mcp#top",
            "/mcp",
    })
    void aResourceThatIsNoCanonicalUrlIsRefused(String resource) {
        assertThrows(IllegalArgumentException.class, () -> McpAuth.builder("https://sso.example.com/realms/mcp", resource)
                .credentials(null, "secret").build());
    }

    @Test
    void buildingWithoutASecretSaysWhatIsMissing() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> McpAuth.builder("https://sso.example.com/realms/mcp", "https://mcp.example.com/mcp").build());
        assertEquals(true, error.getMessage().contains("credentials"), error.getMessage());
    }
}
