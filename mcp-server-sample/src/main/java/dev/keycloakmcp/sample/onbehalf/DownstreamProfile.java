package dev.keycloakmcp.sample.onbehalf;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.function.Consumer;

import com.github.benmanes.caffeine.cache.Ticker;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.resourceserver.AccessGrant;

/**
 * The {@code downstream_profile} tool: calls the downstream API as the signed-in user, with a token Keycloak issued
 * for that API in exchange for the user's MCP token (cached per user). The MCP token itself never leaves this
 * server: sending it on would be token passthrough, which the MCP spec forbids. The downstream API would refuse it
 * anyway (its {@code aud} is this server).
 */
public final class DownstreamProfile {

    private final OnBehalfOfSettings settings;
    private final ExchangedTokens tokens;
    private final HttpClient http;
    private final Consumer<String> outcomes;

    DownstreamProfile(OnBehalfOfSettings settings, ExchangedTokens tokens, HttpClient http, Consumer<String> outcomes) {
        this.settings = settings;
        this.tokens = tokens;
        this.http = http;
        this.outcomes = outcomes;
    }

    /**
     * The tool for the MCP server whose client is {@code clientId}; {@code outcomes} is told how each token was had
     * ({@code exchanged}, {@code cached}) or why not (the lowercase {@link ExchangeFailure.Kind}).
     */
    public static DownstreamProfile of(OnBehalfOfSettings settings, String clientId, String clientSecret, Consumer<String> outcomes) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
        TokenExchange exchange = new TokenExchange(settings, clientId, clientSecret, http);
        return new DownstreamProfile(settings, new ExchangedTokens(settings, exchange::exchange, Ticker.systemTicker(), outcomes), http, outcomes);
    }

    /** What the downstream API answers for the caller, or a tool error the user can read. */
    public McpSchema.CallToolResult call(McpTransportContext context) {
        AccessGrant grant = AccessGrant.of(context);
        SubjectToken subjectToken = SubjectToken.of(context);
        try {
            if (grant.dpopBound()) {
                // Keycloak exchanges a sender-constrained token only for the client it was issued to, never for this server.
                throw new ExchangeFailure(ExchangeFailure.Kind.NOT_EXCHANGEABLE, null, "This tool cannot act for a DPoP-bound token: "
                        + "Keycloak exchanges such a token only for the client it was issued to. Use a Bearer token for this tool.", null);
            }
            if (subjectToken == null || grant.subject() == null) {
                throw new ExchangeFailure(ExchangeFailure.Kind.NOT_EXCHANGEABLE, null, "No user token to exchange", null);
            }
            ExchangedToken token = tokens.get(grant.subject(), subjectToken);
            HttpResponse<String> answer = get(token);
            if (answer.statusCode() == 401) {
                // Revoked, or the user's session ended since: one new exchange (which fails if the MCP token is stale too).
                tokens.forget(grant.subject(), token);
                answer = get(tokens.get(grant.subject(), subjectToken));
            }
            if (answer.statusCode() != 200) {
                return error("The downstream API answered HTTP " + answer.statusCode());
            }
            return McpSchema.CallToolResult.builder().addTextContent(answer.body()).build();
        } catch (ExchangeFailure e) {
            outcomes.accept(e.kind().name().toLowerCase(Locale.ROOT));
            return error(e.getMessage());
        } catch (IOException e) {
            return error("The downstream API at " + settings.downstreamUrl() + " did not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("Interrupted");
        }
    }

    private HttpResponse<String> get(ExchangedToken token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(settings.downstreamUrl())
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.value())
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
