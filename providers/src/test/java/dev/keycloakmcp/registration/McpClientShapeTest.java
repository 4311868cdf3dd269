package dev.keycloakmcp.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class McpClientShapeTest {

    @Test
    void loopbackRedirectsAlsoGetTheirPortlessFormSoThatAnyPortMatches() {
        assertEquals(List.of("http://127.0.0.1:33418/callback", "https://vscode.dev/redirect", "http://localhost:6274/oauth/callback?x=1",
                        "http://127.0.0.1/callback", "http://localhost/oauth/callback?x=1"),
                McpClientShape.withAnyLoopbackPort(List.of("http://127.0.0.1:33418/callback", "https://vscode.dev/redirect",
                        "http://localhost:6274/oauth/callback?x=1")));
        assertEquals(List.of("http://[::1]/cb"), McpClientShape.withAnyLoopbackPort(List.of("http://[::1]/cb")));
        assertEquals(List.of("https://localhost:8443/cb"), McpClientShape.withAnyLoopbackPort(List.of("https://localhost:8443/cb")));
    }

    /** What a client is shown is what it registered: sent back unchanged (RFC 7592), it stores the same list again. */
    @Test
    void theRegisteredFormHidesOnlyThePortlessFormsAddedForAnyPort() {
        List<String> registered = List.of("http://127.0.0.1:42675/callback", "https://vscode.dev/redirect", "http://localhost/cb",
                "http://[::1]:33418/cb", "com.example.app:/cb");
        List<String> stored = McpClientShape.withAnyLoopbackPort(registered);
        assertEquals(List.of("http://127.0.0.1:42675/callback", "https://vscode.dev/redirect", "http://localhost/cb",
                "http://[::1]:33418/cb", "com.example.app:/cb", "http://127.0.0.1/callback", "http://[::1]/cb"), stored);
        assertEquals(registered, McpClientShape.asRegistered(stored));
        assertEquals(stored, McpClientShape.withAnyLoopbackPort(McpClientShape.asRegistered(stored)));
    }
}
