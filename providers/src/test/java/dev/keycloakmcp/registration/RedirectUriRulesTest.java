package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.RefusalAssertions;

class RedirectUriRulesTest {

    /** Keycloak as in the demo (http://localhost:8080), and as behind a proxy (https://sso.example.com). */
    private static final RedirectUriRules RULES = RedirectUriRules.of(null, Set.of(),
            KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/"), URI.create("https://sso.example.com/auth/"))));

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost:33418/callback",
            "http://127.0.0.1:6274/oauth/callback",
            "http://[::1]:8081/cb",
            "http://LOCALHOST/cb",
            "https://vscode.dev/redirect",
            "https://claude.ai/api/mcp/auth_callback",
            "https://example.com:8443/cb",
            "com.example.app:/oauth2redirect",
            "dev.vscode.insiders://callback",
            // Cursor's private-use scheme is not in reverse-domain form but is accepted without admin setup.
            "cursor://anysphere.cursor-mcp/oauth/callback",
            "https://www.cursor.com/agents/mcp/oauth/callback",
            "http://localhost:8787/callback"
    })
    void accepts(String uri) {
        assertEquals(Optional.empty(), refusalFor(RULES, uri), uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://evil.example.com/cb",
            "http://127.0.0.1.evil.example/cb",
            "http://localhost.evil.example/cb",
            "http://192.168.1.10/cb",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "https://example.com/cb#fragment",
            "http://localhost/cb#x",
            "https://*.example.com/cb",
            "http://localhost:*/cb",
            "https://user:pass@example.com/cb",
            "http://localhost@evil.example/cb",
            "/relative/callback",
            "callback",
            "",
            "   ",
            "myapp://callback",
            "cursorx://anysphere.cursor-mcp/oauth/callback",
            "vscode://callback",
            "cursor://anysphere.cursor-mcp/oauth/callback#x",
            "cursor://anysphere.cursor-mcp/oauth/callback?next=https://evil.example",
            // The built-in allowance is Cursor's own form only.
            "cursor://claude.ai/oauth/callback",
            "cursor:x",
            "cursor://user:pw@anysphere.cursor-mcp/cb",
            "cursor://anysphere.cursor-mcp:8080/cb",
            "ftp://example.com/cb",
            "https:///no-host",
            "http://exa mple.com/cb",
            "https://example.com:99999/cb"
    })
    void refuses(String uri) {
        assertTrue(refusalFor(RULES, uri).isPresent(), uri);
    }

    /** Keycloak's own origins, however written; a native client's loopback port is someone else's (RFC 8252). */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "http://localhost:8080/realms/mcp/protocol/openid-connect/auth, refused",
            "http://localhost:8080/callback, refused",
            "http://LOCALHOST:8080/cb, refused",
            "http://127.0.0.1:8080/cb, refused",
            "http://[::1]:8080/cb, refused",
            "https://sso.example.com/realms/mcp/account, refused",
            "https://SSO.example.com:443/cb, refused",
            "https://sso.example.com./cb, refused",
            "http://localhost:8081/callback, accepted",
            "http://127.0.0.1:42675/callback, accepted",
            "http://localhost/callback, accepted",
            "https://localhost:8080/cb, accepted",
            "https://sso.example.com:8443/cb, accepted",
            "https://app.sso.example.com/cb, accepted"
    })
    void refusesKeycloaksOwnOrigins(String uri, String outcome) {
        Optional<String> refusal = refusalFor(RULES, uri);
        assertEquals(outcome.equals("refused"), refusal.isPresent(), refusal.orElse(uri));
        refusal.ifPresent(reason -> assertTrue(reason.contains("points at this server itself"), reason));
    }

    /** A query makes the redirect URI a request to whatever the host serves there; no MCP client needs one. */
    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com:8443/cb?x=1",
            "https://example.com/cb?",
            "http://127.0.0.1:33418/callback?client=1",
            "https://idp.example.com/oauth2/authorize?client_id=other&response_type=code&redirect_uri=https%3A%2F%2Fattacker.example%2Fcb",
            "com.example.app:/cb?x=1"
    })
    void refusesQueries(String uri) {
        Optional<String> refusal = refusalFor(RULES, uri);
        assertTrue(refusal.isPresent() && refusal.get().contains("must not contain a query"), refusal.orElse(uri));
    }

    @Test
    void refusesEmptyListsAndAbsurdCountsAndLengths() {
        assertTrue(refusalFor(RULES, (List<String>) null).isPresent());
        assertTrue(refusalFor(RULES, List.of()).isPresent());
        assertTrue(refusalFor(RULES, Collections.nCopies(RedirectUriRules.MAX_URIS + 1, "http://localhost/cb")).isPresent());
        assertTrue(refusalFor(RULES, "https://example.com/" + "a".repeat(RedirectUriRules.MAX_LENGTH)).isPresent());
        assertEquals(Optional.empty(), refusalFor(RULES, List.of("http://localhost/cb", "https://example.com/cb")));
    }

    /** Cursor's scheme is a native client's: a client that says it is a web application gets https only. */
    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource({
            "native, cursor://anysphere.cursor-mcp/oauth/callback, accepted",
            "web, cursor://anysphere.cursor-mcp/oauth/callback, refused",
            "web, https://chatgpt.com/connector/oauth/abc123, accepted",
            "web, http://localhost:8787/callback, refused",
            "native, vscode://callback, refused"
    })
    void applicationTypeDecidesForPrivateUseSchemes(String applicationType, String uri, String outcome) {
        RedirectUriRules rules = RedirectUriRules.of(applicationType, Set.of(), KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/"))));
        assertEquals(outcome.equals("refused"), refusalFor(rules, uri).isPresent(), refusalFor(rules, uri).orElse(uri));
    }

    @Test
    void anAdminCanAllowFurtherSchemesButNeverDangerousOnes() {
        RedirectUriRules rules = RedirectUriRules.of(null, Set.of("vscode", "javascript"), KeycloakOrigins.of(List.of(URI.create("http://localhost:8080/"))));
        assertEquals(Optional.empty(), refusalFor(rules, "vscode://callback"));
        assertTrue(refusalFor(rules, "javascript:alert(1)").isPresent());
    }

    /** Cursor's one body: https, its own scheme and loopback; none may fail, or its whole registration does. */
    @Test
    void cursorsWholeBodyIsAccepted() {
        assertEquals(Optional.empty(), refusalFor(RULES, List.of("cursor://anysphere.cursor-mcp/oauth/callback",
                "https://www.cursor.com/agents/mcp/oauth/callback", "http://localhost:8787/callback")));
    }

    @Test
    void oneBadUriRefusesTheList() {
        assertTrue(refusalFor(RULES, List.of("http://localhost/cb", "http://evil.example.com/cb")).isPresent());
        assertTrue(refusalFor(RULES, List.of("http://localhost:33418/cb", "http://localhost:8080/cb")).isPresent());
    }

    /** The rules' refusal of {@code redirectUris}, if any. */
    private static Optional<String> refusalFor(RedirectUriRules rules, List<String> redirectUris) {
        return Optional.ofNullable(RefusalAssertions.refusalOf(() -> rules.requireAcceptable(redirectUris)));
    }

    private static Optional<String> refusalFor(RedirectUriRules rules, String redirectUri) {
        return Optional.ofNullable(RefusalAssertions.refusalOf(() -> rules.requireAcceptable(redirectUri)));
    }
}
