package dev.keycloakmcp.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class McpClientShapeTest {

    @Test
    void loopbackRedirectsGetAPortlessForm() {
        assertEquals(List.of("http://127.0.0.1:33418/callback", "https://vscode.dev/redirect", "http://localhost:6274/oauth/callback?x=1",
                        "http://127.0.0.1/callback", "http://localhost/oauth/callback?x=1"),
                McpClientShape.withAnyLoopbackPort(List.of("http://127.0.0.1:33418/callback", "https://vscode.dev/redirect",
                        "http://localhost:6274/oauth/callback?x=1")));
        assertEquals(List.of("http://[::1]/cb"), McpClientShape.withAnyLoopbackPort(List.of("http://[::1]/cb")));
        assertEquals(List.of("https://localhost:8443/cb"), McpClientShape.withAnyLoopbackPort(List.of("https://localhost:8443/cb")));
    }

    /** What a client is shown is what it registered: sent back unchanged (RFC 7592), it stores the same list again. */
    @Test
    void registeredFormHidesOnlyAddedPortlessForms() {
        List<String> registered = List.of("http://127.0.0.1:42675/callback", "https://vscode.dev/redirect", "http://localhost/cb",
                "http://[::1]:33418/cb", "com.example.app:/cb");
        List<String> stored = McpClientShape.withAnyLoopbackPort(registered);
        assertEquals(List.of("http://127.0.0.1:42675/callback", "https://vscode.dev/redirect", "http://localhost/cb",
                "http://[::1]:33418/cb", "com.example.app:/cb", "http://127.0.0.1/callback", "http://[::1]/cb"), stored);
        String added = McpClientShape.writeForms(McpClientShape.addedForAnyPort(registered));
        assertEquals("[\"http://127.0.0.1/callback\",\"http://[::1]/cb\"]", added);
        assertEquals(registered, McpClientShape.asRegistered(stored, added));
        assertEquals(stored, McpClientShape.withAnyLoopbackPort(McpClientShape.asRegistered(stored, added)));
        // Stored before the attribute existed: port-less forms standing for a registered URI are hidden.
        assertEquals(registered, McpClientShape.asRegistered(stored, null));
    }

    /** VS Code registers a port-less loopback URI beside the same one with its port: it is shown both, as sent. */
    @Test
    void aPortlessFormTheClientRegisteredItselfIsShown() {
        List<String> vsCode = List.of("https://insiders.vscode.dev/redirect", "https://vscode.dev/redirect", "http://127.0.0.1/",
                "http://127.0.0.1:33418/");
        List<String> stored = McpClientShape.withAnyLoopbackPort(vsCode);
        assertEquals(vsCode, stored);
        assertEquals(List.of(), McpClientShape.addedForAnyPort(vsCode));
        assertEquals("[]", McpClientShape.writeForms(McpClientShape.addedForAnyPort(vsCode)));
        assertEquals(vsCode, McpClientShape.asRegistered(stored, "[]"));
    }
}
