package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


class BearerChallengeTest {

    private static final McpAuthSettings CONFIG = StubAuthorizationServer.defaultSettings();
    private static final String METADATA = "resource_metadata=\"http://localhost:3000/.well-known/oauth-protected-resource/mcp\"";

    @Test
    void withoutATokenTheChallengeHasNoErrorCode() {
        assertEquals("Bearer " + METADATA + ", scope=\"mcp:tools\"", BearerChallenge.unauthorized(CONFIG, false));
    }

    @Test
    void eachRefusalNamesItsErrorTheMetadataAndTheScopes() {
        assertEquals("Bearer error=\"invalid_token\", error_description=\"The access token is missing, expired, revoked or not issued "
                + "for this MCP server\", " + METADATA + ", scope=\"mcp:tools\"", BearerChallenge.unauthorized(CONFIG, true));
        assertEquals("Bearer error=\"invalid_request\", error_description=\"Send the access token in the Authorization header only\", "
                + METADATA + ", scope=\"mcp:tools\"", BearerChallenge.invalidRequest(CONFIG));
        assertEquals("Bearer error=\"insufficient_scope\", error_description=\"The access token does not grant every scope this "
                + "request needs\", " + METADATA + ", scope=\"mcp:tools mcp:tools:write\"",
                BearerChallenge.insufficientScope(CONFIG, new LinkedHashSet<>(List.of("mcp:tools", "mcp:tools:write"))));
    }
}
