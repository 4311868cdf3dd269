package dev.keycloakmcp.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class McpAuthorizationBeanTest {

    @ParameterizedTest(name = "[{index}] {0} https-only={1}")
    @CsvSource(nullValues = "null", value = {
            "https://cdn.example.com/logo.png, true, https://cdn.example.com/logo.png",
            "HTTPS://cdn.example.com/logo.png, true, HTTPS://cdn.example.com/logo.png",
            "http://cdn.example.com/logo.png, true, null",
            "http://client.example.com, false, http://client.example.com",
            "javascript:alert(1), false, null",
            "'data:image/png;base64,AAAA', true, null",
            "//cdn.example.com/logo.png, true, null",
            "/relative/logo.png, true, null",
            "https://user:pass@cdn.example.com/logo.png, true, null",
            "'https://cdn.example.com/a b.png', true, null",
            "null, true, null",
            "https://client.example.com/\u202Eabout, false, https://client.example.com/%E2%80%AEabout",
    })
    void onlyAbsoluteWebUrlsAreShownAndLogosOnlyOverHttps(String value, boolean httpsOnly, String shown) {
        assertEquals(shown, McpAuthorizationBean.webUrl(value, httpsOnly));
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "http://localhost/callback http://127.0.0.1/callback | true",
            "http://127.0.0.1:33418/ https://vscode.dev/redirect | false",
            "http://[::1]:8080/cb | true",
            "https://claude.ai/api/mcp/auth_callback | false",
            "com.example.app:/cb | true",
            "cursor://claude.ai/oauth/callback | true",
            "cursor://anysphere.cursor-mcp/oauth/callback https://www.cursor.com/agents/mcp/oauth/callback | false",
    })
    void aClientWhoseEveryRedirectIsOnThisComputerIsFlagged(String redirectUris, boolean loopbackOnly) {
        assertEquals(loopbackOnly, McpAuthorizationBean.isLoopbackOnly(Set.of(redirectUris.split(" "))));
    }

    /** An app's own scheme goes to whichever program claims it: the page names the scheme, not a host it could fake. */
    @ParameterizedTest(name = "[{index}] {0} → {1} {2}")
    @CsvSource(delimiter = '|', value = {
            "https://claude.ai/api/mcp/auth_callback | claude.ai  | false",
            "http://127.0.0.1:33418/                 | 127.0.0.1  | true",
            "cursor://claude.ai/oauth/callback       | cursor:    | true",
            "com.example.app:/cb                     | com.example.app: | true",
    })
    void theConsentPageNamesWhereTheAnswerReallyGoes(String redirectUri, String shown, boolean onThisComputer) {
        java.net.URI uri = java.net.URI.create(redirectUri);
        assertEquals(shown, McpAuthorizationBean.whereTheAnswerGoes(uri));
        assertEquals(onThisComputer, McpAuthorizationBean.isOnThisComputer(uri));
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @CsvSource(nullValues = "null", value = {
            "https://claude.ai/oauth/claude-code-client-metadata, claude.ai",
            "https://vscode.dev/oauth/client-metadata.json, vscode.dev",
            "not a url, null",
    })
    void theDocumentHostIsTheClientIdsHost(String clientId, String host) {
        assertEquals(host, McpAuthorizationBean.documentHost(clientId));
    }

    @ParameterizedTest(name = "[{index}] {0} from a document at {1} → {2}")
    @CsvSource(nullValues = "null", value = {
            "https://claude.ai, claude.ai, https://claude.ai",
            "https://www.claude.ai/logo.png, claude.ai, https://www.claude.ai/logo.png",
            "https://claude.ai/logo.png, mcp.claude.ai, null",
            "https://github.io, someone.github.io, null",
            "https://claude.ai, evil.example, null",
            "https://evilclaude.ai, claude.ai, null",
            "https://code.visualstudio.com, vscode.dev, null",
            "https://anything.example, null, https://anything.example",
            "null, claude.ai, null",
    })
    void aDocumentShowsAWebsiteOrLogoOnlyFromItsOwnHost(String url, String documentHost, String shown) {
        assertEquals(shown, McpAuthorizationBean.publishedBy(url, documentHost));
    }
}
