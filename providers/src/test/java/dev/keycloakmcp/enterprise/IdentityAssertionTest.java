package dev.keycloakmcp.enterprise;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keycloakmcp.core.Refusal;

class IdentityAssertionTest {

    private static final long NOW = 1_800_000_000L;
    private static final String REALM = "https://auth.example.com/realms/mcp";

    private static Map<String, Object> claims() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", "https://idp.example.com");
        claims.put("sub", "U019488227");
        claims.put("aud", REALM);
        claims.put("client_id", "claude");
        claims.put("resource", "https://mcp.example.com/mcp");
        claims.put("jti", "9e43f81b64a33f20116179");
        claims.put("exp", NOW + 300);
        claims.put("iat", NOW);
        claims.put("scope", "mcp:tools mcp:read");
        return claims;
    }

    @Test
    void readsTheProfilesClaims() throws Refusal {
        Map<String, Object> claims = claims();
        claims.put("email", "alice@example.com");
        claims.put("email_verified", true);
        IdentityAssertion assertion = IdentityAssertion.read(claims);
        assertEquals("U019488227", assertion.subject());
        assertEquals(List.of(REALM), assertion.audience());
        assertEquals("mcp:tools mcp:read", assertion.scope());
        assertEquals(Optional.of("alice@example.com"), assertion.email());
        assertEquals(Optional.of(true), assertion.emailVerified());
    }

    @ParameterizedTest
    @ValueSource(strings = {"iss", "sub", "aud", "client_id", "resource", "jti", "exp", "iat"})
    void eachRequiredClaimIsRequired(String claim) {
        Map<String, Object> claims = claims();
        claims.remove(claim);
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> IdentityAssertion.read(claims)).error());
    }

    @ParameterizedTest
    @CsvSource({"exp, soon", "iat, 12", "aud, ''", "sub, 7", "scope, 3"})
    void claimsOfTheWrongTypeAreRefused(String claim, String value) {
        Map<String, Object> claims = claims();
        claims.put(claim, claim.equals("sub") || claim.equals("scope") ? (Object) Integer.valueOf(value) : value);
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> IdentityAssertion.read(claims)).error());
    }

    @Test
    void anAudienceArrayAndAScopeArrayAreRead() throws Refusal {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("https://other.example.com", REALM));
        claims.put("scope", List.of("mcp:tools mcp:read"));
        IdentityAssertion assertion = IdentityAssertion.read(claims);
        assertDoesNotThrow(() -> assertion.requireAudience(REALM));
        assertEquals("mcp:tools mcp:read", assertion.scope());
    }

    @ParameterizedTest
    @CsvSource({
            "oauth-id-jag+jwt, true",
            "OAuth-ID-JAG+JWT, true",
            "application/oauth-id-jag+jwt, true",
            "JWT, false",
            "at+jwt, false",
            "oauth-id-jag, false",
            "'', false"})
    void theTypeMustBeAnIdJag(String type, boolean accepted) {
        if (accepted) {
            assertDoesNotThrow(() -> IdentityAssertion.requireType(type));
        } else {
            assertEquals("invalid_grant", assertThrows(Refusal.class, () -> IdentityAssertion.requireType(type)).error());
        }
    }

    @ParameterizedTest
    @NullSource
    void aMissingTypeIsRefused(String type) {
        assertThrows(Refusal.class, () -> IdentityAssertion.requireType(type));
    }

    /** exp and iat relative to NOW, with a 300-second maximum lifetime and 30 seconds of clock skew. */
    @ParameterizedTest(name = "iat {0}, exp {1}: {2}")
    @CsvSource({
            "0, 300, true",
            "-100, 200, true",
            "-320, -20, true",
            "-340, -40, false",
            "20, 300, true",
            "40, 320, false",
            "0, 301, false",
            "0, 0, false",
            "10, 5, false"})
    void theLifetimeIsBounded(long iat, long exp, boolean accepted) throws Refusal {
        Map<String, Object> claims = claims();
        claims.put("iat", NOW + iat);
        claims.put("exp", NOW + exp);
        IdentityAssertion assertion = IdentityAssertion.read(claims);
        if (accepted) {
            assertDoesNotThrow(() -> assertion.requireTimely(NOW, 300));
        } else {
            assertEquals("invalid_grant", assertThrows(Refusal.class, () -> assertion.requireTimely(NOW, 300)).error());
        }
    }

    @Test
    void timesThatWouldOverflowAreRefused() throws Refusal {
        Map<String, Object> claims = claims();
        claims.put("exp", 4_611_686_018_427_387_904L);
        claims.put("iat", -4_611_686_018_427_387_905L);
        IdentityAssertion assertion = IdentityAssertion.read(claims);
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> assertion.requireTimely(NOW, 300)).error());
        claims.put("iat", NOW);
        claims.put("exp", Long.MAX_VALUE);
        IdentityAssertion farFuture = IdentityAssertion.read(claims);
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> farFuture.requireTimely(NOW, 300)).error());
    }

    @Test
    void timesMustBeWholeSeconds() {
        for (Object time : List.<Object>of(NOW + 0.5, 1e30, new java.math.BigInteger("99999999999999999999"), "1800000000")) {
            Map<String, Object> claims = claims();
            claims.put("exp", time);
            assertEquals("invalid_grant", assertThrows(Refusal.class, () -> IdentityAssertion.read(claims)).error(), String.valueOf(time));
        }
    }

    @Test
    void theAudienceMustBeThisRealm() throws Refusal {
        Map<String, Object> claims = claims();
        claims.put("aud", "https://auth.example.com/realms/other");
        IdentityAssertion assertion = IdentityAssertion.read(claims);
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> assertion.requireAudience(REALM)).error());
    }

    @Test
    void theClientMustBeTheOneItWasIssuedTo() throws Refusal {
        IdentityAssertion assertion = IdentityAssertion.read(claims());
        assertDoesNotThrow(() -> assertion.requireClient("claude"));
        assertEquals("invalid_grant", assertThrows(Refusal.class, () -> assertion.requireClient("other")).error());
    }

    @Test
    void theReplayWindowLastsUntilNoClockTakesItAsUnexpired() throws Refusal {
        IdentityAssertion assertion = IdentityAssertion.read(claims());
        assertEquals(330, assertion.replayWindow(NOW));
        assertEquals(1, assertion.replayWindow(NOW + 1000));
    }
}
