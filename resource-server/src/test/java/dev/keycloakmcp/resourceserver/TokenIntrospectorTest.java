package dev.keycloakmcp.resourceserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;


class TokenIntrospectorTest {

    private static final McpAuthSettings CONFIG = StubAuthorizationServer.defaultSettings();

    static Map<String, Object> activeToken() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("active", true);
        claims.put("iss", "http://localhost:8080/realms/mcp");
        claims.put("aud", List.of("account", "http://localhost:3000/mcp"));
        claims.put("typ", "Bearer");
        claims.put("sub", "user-id");
        claims.put("username", "alice");
        claims.put("client_id", "some-mcp-client");
        claims.put("scope", "mcp:tools profile");
        claims.put("exp", 1_900_000_000);
        return claims;
    }

    @Test
    void acceptsAnActiveTokenForThisServer() {
        Optional<AccessGrant> grant = TokenIntrospector.accept(CONFIG, activeToken());
        assertEquals(Optional.of(new AccessGrant("user-id", "alice", "some-mcp-client", Set.of("mcp:tools", "profile"), 1_900_000_000L)), grant);
    }

    @Test
    void acceptsASingleStringAudienceAndNoExpiry() {
        Map<String, Object> claims = activeToken();
        claims.put("aud", "http://localhost:3000/mcp");
        claims.remove("exp");
        assertTrue(TokenIntrospector.accept(CONFIG, claims).isPresent());
        assertEquals(0, TokenIntrospector.accept(CONFIG, claims).get().expiresAt());
    }

    @Test
    void refusesInactiveForeignOrMisaddressedTokens() {
        Map<String, Object> inactive = Map.of("active", false);
        Map<String, Object> activeAsString = activeToken();
        activeAsString.put("active", "true");
        Map<String, Object> otherIssuer = activeToken();
        otherIssuer.put("iss", "http://localhost:8080/realms/other");
        Map<String, Object> otherAudience = activeToken();
        otherAudience.put("aud", List.of("http://localhost:4000/mcp"));
        Map<String, Object> noAudience = activeToken();
        noAudience.remove("aud");
        Map<String, Object> prefixAudience = activeToken();
        prefixAudience.put("aud", "http://localhost:3000/mcp/other");
        Map<String, Object> refreshToken = activeToken();
        refreshToken.put("typ", "Refresh");

        for (Map<String, Object> claims : List.of(inactive, activeAsString, otherIssuer, otherAudience, noAudience, prefixAudience, refreshToken)) {
            assertEquals(Optional.empty(), TokenIntrospector.accept(CONFIG, claims), claims.toString());
        }
    }

    @Test
    void aDpopBoundTokenCarriesItsKeyAndNeedsOne() {
        Map<String, Object> bound = activeToken();
        bound.put("typ", "DPoP");
        bound.put("cnf", Map.of("jkt", "thumbprint", "kc-jkt-type", "DPoP"));
        assertEquals("thumbprint", TokenIntrospector.accept(CONFIG, bound).orElseThrow().boundKey());
        assertEquals(null, TokenIntrospector.accept(CONFIG, activeToken()).orElseThrow().boundKey());

        Map<String, Object> typedWithoutKey = activeToken();
        typedWithoutKey.put("typ", "DPoP");
        typedWithoutKey.put("cnf", Map.of("x5t#S256", "x"));
        assertEquals(Optional.empty(), TokenIntrospector.accept(CONFIG, typedWithoutKey));
        // Keycloak's "bind only the refresh token" leaves a Bearer access token; a Bearer-typed token with cnf.jkt stays bound.
        Map<String, Object> bearerWithKey = activeToken();
        bearerWithKey.put("cnf", Map.of("jkt", "thumbprint"));
        assertEquals("thumbprint", TokenIntrospector.accept(CONFIG, bearerWithKey).orElseThrow().boundKey());
    }
}
