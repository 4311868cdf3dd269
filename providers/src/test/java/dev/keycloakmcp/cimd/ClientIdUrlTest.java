package dev.keycloakmcp.cimd;

import static dev.keycloakmcp.core.RefusalAssertions.refusalOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientIdUrlTest {

    @ParameterizedTest(name = "[{index}] {0} dev={1}")
    @CsvSource(nullValues = "null", value = {
            "https://claude.ai/oauth/claude-code-client-metadata, false, null",
            "https://vscode.dev/oauth/client-metadata.json, false, null",
            "https://chatgpt.com/oauth/client.json?v=2, false, null",
            "http://chatgpt.com/oauth/client.json, false, client_id URL must use https",
            "http://localhost:8443/client.json, false, client_id URL must use https",
            "http://localhost:8443/client.json, true, null",
            "http://127.0.0.1/client.json, true, null",
            "http://example.com/client.json, true, client_id URL must use https",
            "https://example.com, false, client_id URL must have a path",
            "https://example.com/, false, client_id URL must have a path",
            "https://user:pw@example.com/client.json, false, client_id URL must not contain user info",
            "https://example.com/client.json#x, false, client_id URL must not contain a fragment",
            "https://example.com/a/../client.json, false, client_id URL must not contain dot segments",
            "https://example.com/./client.json, false, client_id URL must not contain dot segments",
            "https://example.com/%2e%2e/client.json, false, client_id URL must not contain dot segments",
            "'https://exa mple.com/client.json', false, client_id is not a valid URL",
            "ftp://example.com/client.json, false, client_id URL must use https",
            "https:///client.json, false, client_id URL must name a host",
            "https://evil.example./client.json, false, client_id URL host must not end with a dot",
            "https://1.1.1.1:99999/client.json, false, client_id URL port is out of range",
            "https://1.1.1.1:0/client.json, false, client_id URL port is out of range",
            "https://example.com:8443/client.json, false, null",
    })
    void aDocumentUrlIsHttpsWithAHostAndAPath(String clientId, boolean allowLoopbackHttp, String refusal) {
        assertEquals(refusal, refusalOf(() -> ClientIdUrl.parse(clientId, allowLoopbackHttp)));
    }

    @org.junit.jupiter.api.Test
    void aUrlKeycloakCannotStoreAsAClientIdIsRefused() {
        String longest = "https://example.com/" + "a".repeat(ClientIdUrl.MAX_LENGTH - "https://example.com/".length());
        assertEquals(null, refusalOf(() -> ClientIdUrl.parse(longest, false)));
        assertEquals("client_id URL is longer than 255 characters", refusalOf(() -> ClientIdUrl.parse(longest + "a", false)));
    }
}
