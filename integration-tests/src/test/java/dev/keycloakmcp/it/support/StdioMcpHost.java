package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keycloakmcp.it.pages.AuthorizationUrlSignIn;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;

/**
 * The stdio side of a proxy such as mcp-remote, spoken as an MCP host (Claude Desktop...) speaks it: one JSON-RPC
 * message per line in, the answers read from the proxy's output.
 */
public final class StdioMcpHost {

    private StdioMcpHost() {
    }

    /**
     * mcp-remote with its defaults against {@code resource}: 401 → metadata → registration → the authorization URL
     * it prints, which must ask {@code issuer} for {@code resource} and {@code mcp:tools}; {@code username} signs in
     * and consents; then {@code whoami} through it. What whoami answers.
     */
    public static String whoamiThroughMcpRemote(String issuer, String resource, String username, String password, String hostName)
            throws Exception {
        PinnedClients clients = PinnedClients.installed();
        int callbackPort = KeycloakDistribution.freePort();
        String version = clients.version("mcp-remote");
        Duration wait = Duration.ofMinutes(2);
        String[] answer = new String[1];
        try (NodeClientProcess client = NodeClientProcess.start("mcp-remote " + version, clients.node(), clients.mcpRemote(),
                List.of(resource, String.valueOf(callbackPort)), Map.of("MCP_REMOTE_CONFIG_DIR", clients.stateDirectory("mcp-remote").toString()))) {
            client.showingOutputOnFailure(() -> {
                String url = client.awaitUrlAfter(Output.STDERR, "Please authorize this client by visiting:", wait);
                assertTrue(url.startsWith(issuer + "/protocol/openid-connect/auth?"), url);
                assertTrue(url.contains("resource=" + Http.enc(resource)), url);
                assertTrue(url.contains("mcp%3Atools") || url.contains("mcp:tools"), url);
                AuthorizationUrlSignIn.deliver(AuthorizationUrlSignIn.signIn(url, username, password));
                answer[0] = whoami(client, hostName, wait);
                System.out.printf("[%s] mcp-remote %s: spawn to whoami answer in %d ms%n", hostName, version, client.sinceStart().toMillis());
            });
        }
        return answer[0];
    }

    /** {@code initialize}, {@code notifications/initialized}, then {@code tools/call whoami}: the text it answers. */
    public static String whoami(NodeClientProcess proxy, String hostName, Duration wait) {
        proxy.writeLine(Json.write(Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize", "params", Map.of(
                "protocolVersion", "2025-06-18", "capabilities", Map.of(), "clientInfo", Map.of("name", hostName, "version", "1")))));
        Map<String, Object> initialized = proxy.awaitLine(Output.STDOUT, "the initialize answer", wait, line -> answer(line, 1));
        assertTrue(initialized.containsKey("result"), () -> "initialize: " + initialized);
        proxy.writeLine(Json.write(Map.of("jsonrpc", "2.0", "method", "notifications/initialized")));
        proxy.writeLine(Json.write(Map.of("jsonrpc", "2.0", "id", 2, "method", "tools/call", "params",
                Map.of("name", "whoami", "arguments", Map.of()))));
        Map<String, Object> whoami = proxy.awaitLine(Output.STDOUT, "the whoami answer", wait, line -> answer(line, 2));
        assertTrue(whoami.get("result") instanceof Map<?, ?>, () -> "whoami: " + whoami);
        return toolText(whoami.get("result"));
    }

    /** The JSON-RPC answer with {@code id} if {@code line} is one. */
    public static Optional<Map<String, Object>> answer(String line, int id) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        Map<String, Object> message = Json.object(line);
        return message.get("id") instanceof Number number && number.intValue() == id ? Optional.of(message) : Optional.empty();
    }

    /** The text of a tool result's first content block. */
    public static String toolText(Object result) {
        Map<?, ?> content = (Map<?, ?>) ((List<?>) ((Map<?, ?>) result).get("content")).get(0);
        return (String) content.get("text");
    }
}
