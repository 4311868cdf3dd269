package dev.keycloakmcp.sample.onbehalf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Ticker;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.resourceserver.AccessGrant;

/** What the tool tells the user when there is no token for the downstream API; the API itself is called in OnBehalfOfIT. */
class DownstreamProfileTest {

    private final List<String> outcomes = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    private DownstreamProfile tool(ExchangeFailure refusal) {
        ExchangedTokens tokens = new ExchangedTokens(TokenExchangeTest.SETTINGS, subject -> {
            exchanges.add(subject.value());
            throw refusal;
        }, Ticker.systemTicker(), outcomes::add);
        return new DownstreamProfile(TokenExchangeTest.SETTINGS, tokens, HttpClient.newHttpClient(), outcomes::add);
    }

    private static McpTransportContext context(AccessGrant grant, String token) {
        Map<String, Object> values = new HashMap<>(Map.of(AccessGrant.CONTEXT_KEY, grant));
        if (token != null) {
            values.put(SubjectToken.CONTEXT_KEY, new SubjectToken(token));
        }
        return McpTransportContext.create(values);
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void aDpopBoundTokenIsNotSentToKeycloak() {
        AccessGrant bound = new AccessGrant("alice-id", "alice", "client", Set.of("mcp:tools"), 0, "thumbprint");
        McpSchema.CallToolResult result = tool(null).call(context(bound, "dpop-token"));
        assertEquals(Boolean.TRUE, result.isError());
        assertTrue(text(result).contains("DPoP-bound"), text(result));
        assertEquals(List.of(), exchanges);
        assertEquals(List.of("not_exchangeable"), outcomes);
    }

    @Test
    void aRefusedExchangeIsAToolErrorNamingKeycloaksAnswer() {
        ExchangeFailure refusal = new ExchangeFailure(ExchangeFailure.Kind.REFUSED, "invalid_scope",
                "Keycloak refused to exchange your token (invalid_scope: Invalid scopes: downstream:read)", null);
        AccessGrant grant = new AccessGrant("alice-id", "alice", "client", Set.of("mcp:tools"), 0);
        McpSchema.CallToolResult result = tool(refusal).call(context(grant, "mcp-token"));
        assertEquals(Boolean.TRUE, result.isError());
        assertEquals(refusal.getMessage(), text(result));
        assertEquals(List.of("mcp-token"), exchanges);
        assertEquals(List.of("refused"), outcomes);
    }

    @Test
    void withoutTheRequestsTokenThereIsNothingToExchange() {
        AccessGrant grant = new AccessGrant("alice-id", "alice", "client", Set.of("mcp:tools"), 0);
        McpSchema.CallToolResult result = tool(null).call(context(grant, null));
        assertEquals(Boolean.TRUE, result.isError());
        assertEquals(List.of(), exchanges);
    }
}
