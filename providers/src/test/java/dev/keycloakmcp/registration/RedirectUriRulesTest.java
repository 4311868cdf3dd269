package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedirectUriRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://localhost:33418/callback",
            "http://127.0.0.1:6274/oauth/callback",
            "http://[::1]:8080/cb",
            "http://LOCALHOST/cb",
            "https://vscode.dev/redirect",
            "https://claude.ai/api/mcp/auth_callback",
            "https://example.com:8443/cb?x=1",
            "com.example.app:/oauth2redirect",
            "dev.vscode.insiders://callback"
    })
    void accepts(String uri) {
        assertEquals(java.util.Optional.empty(), RedirectUriRules.DEFAULT.check(uri), uri);
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
            "ftp://example.com/cb",
            "https:///no-host",
            "http://exa mple.com/cb",
            "https://example.com:99999/cb"
    })
    void refuses(String uri) {
        assertTrue(RedirectUriRules.DEFAULT.check(uri).isPresent(), uri);
    }

    @Test
    void refusesEmptyListsAndAbsurdCountsAndLengths() {
        assertTrue(RedirectUriRules.DEFAULT.check((List<String>) null).isPresent());
        assertTrue(RedirectUriRules.DEFAULT.check(List.of()).isPresent());
        assertTrue(RedirectUriRules.DEFAULT.check(Collections.nCopies(RedirectUriRules.MAX_URIS + 1, "http://localhost/cb")).isPresent());
        assertTrue(RedirectUriRules.DEFAULT.check("https://example.com/" + "a".repeat(RedirectUriRules.MAX_LENGTH)).isPresent());
        assertEquals(java.util.Optional.empty(), RedirectUriRules.DEFAULT.check(List.of("http://localhost/cb", "https://example.com/cb")));
    }

    @Test
    void oneBadUriRefusesTheList() {
        assertTrue(RedirectUriRules.DEFAULT.check(List.of("http://localhost/cb", "http://evil.example.com/cb")).isPresent());
    }
}
