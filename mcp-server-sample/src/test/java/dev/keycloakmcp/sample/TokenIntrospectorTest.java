package dev.keycloakmcp.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TokenIntrospectorTest {

    private static final SampleServerConfig CONFIG = new SampleServerConfig("http://localhost:8080/realms/mcp",
            "http://localhost:3000/mcp", "http://localhost:3000/mcp", "secret", "localhost", 3000, "mcp:tools");

    private static Map<String, Object> activeToken() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("active", true);
        claims.put("iss", "http://localhost:8080/realms/mcp");
        claims.put("aud", List.of("account", "http://localhost:3000/mcp"));
        claims.put("sub", "user-id");
        claims.put("username", "alice");
        claims.put("client_id", "some-mcp-client");
        claims.put("scope", "mcp:tools profile");
        return claims;
    }

    @Test
    void acceptsAnActiveTokenFromTheIssuerForThisServer() {
        Optional<AccessGrant> grant = TokenIntrospector.accept(CONFIG, activeToken());
        assertEquals(Optional.of(new AccessGrant("user-id", "alice", "some-mcp-client", Set.of("mcp:tools", "profile"))), grant);
    }

    @Test
    void acceptsASingleStringAudience() {
        Map<String, Object> claims = activeToken();
        claims.put("aud", "http://localhost:3000/mcp");
        assertTrue(TokenIntrospector.accept(CONFIG, claims).isPresent());
    }

    @Test
    void refusesInactiveForeignOrMisaddressedTokens() {
        Map<String, Object> inactive = Map.of("active", false);
        Map<String, Object> otherIssuer = activeToken();
        otherIssuer.put("iss", "http://localhost:8080/realms/other");
        Map<String, Object> otherAudience = activeToken();
        otherAudience.put("aud", List.of("http://localhost:4000/mcp"));
        Map<String, Object> noAudience = activeToken();
        noAudience.remove("aud");
        Map<String, Object> prefixAudience = activeToken();
        prefixAudience.put("aud", "http://localhost:3000/mcp/other");

        for (Map<String, Object> claims : List.of(inactive, otherIssuer, otherAudience, noAudience, prefixAudience)) {
            assertEquals(Optional.empty(), TokenIntrospector.accept(CONFIG, claims), claims.toString());
        }
    }
}
