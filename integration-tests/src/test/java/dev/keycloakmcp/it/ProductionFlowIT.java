package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpHttp;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.Pkce;
import dev.keycloakmcp.it.support.ProductionDeployment;
import dev.keycloakmcp.it.support.ProductionStackTest;

/**
 * The whole MCP flow on the production-shape stack, through the proxy, each step on the other node: nothing a step
 * leaves behind (authentication session, code, user session, refresh token, revocation) may live on one node only.
 */
@ProductionStackTest
class ProductionFlowIT {

    private static ProductionDeployment deployment;

    @Test
    void everyStepOfTheMcpFlowWorksOnTheOtherNode() {
        Http discovery = new Http();
        // 1. The MCP server's challenge and its protected resource metadata name the public issuer.
        HttpResponse<String> challenge = discovery.postJson(deployment.mcpUrl(), McpHttp.initializeRequest(), "Accept", McpHttp.ACCEPT);
        assertEquals(401, challenge.statusCode());
        Map<String, Object> prm = Json.object(discovery.get(McpHttp.challenge(challenge).get("resource_metadata")).body());
        assertEquals(List.of(deployment.issuer()), prm.get("authorization_servers"));
        // 2. Authorization server metadata and registration.
        Map<String, Object> metadata = Json.object(discovery.get(deployment.metadataUrl()).body());
        HttpResponse<String> registered = discovery.postJson((String) metadata.get("registration_endpoint"),
                Json.write(McpOAuthClient.typicalRegistration("Production flow")));
        assertEquals(201, registered.statusCode(), registered::body);
        McpOAuthClient client = McpOAuthClient.registered(metadata, Json.object(registered.body()), McpOAuthClient.REDIRECT_URI);

        // 3. Authorization, sign-in, consent (each redirect Keycloak makes is a request of its own), code exchange.
        Pkce pkce = Pkce.create();
        Map<String, String> request = client.authorizationRequest(pkce, deployment.mcpUrl());
        String code = client.signInAndConsent(request, "alice", "alice");
        HttpResponse<String> tokens = client.exchange(code, pkce.verifier(), deployment.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        List<String> nodes = nodesThatAnswered(discovery, client.http);
        assertTrue(nodes.size() >= 7, nodes::toString);
        for (int i = 1; i < nodes.size(); i++) {
            assertNotEquals(nodes.get(i - 1), nodes.get(i), "step " + i + " of " + nodes + " landed on the node of the step before");
        }
        String accessToken = (String) Json.object(tokens.body()).get("access_token");
        Map<String, Object> claims = AccessTokens.claims(accessToken);
        assertEquals(deployment.issuer(), claims.get("iss"));
        assertEquals(List.of(deployment.mcpUrl()), AccessTokens.audience(accessToken));
        String exchangedOn = last(nodes);

        // 4. A tool call: the sample server introspects through the proxy.
        assertTrue(McpToolCalls.callText(deployment.mcpUrl(), accessToken, "whoami", Map.of()).contains("alice"));

        // 5. Refresh on the node that did not issue the tokens; revocation on the other; the sample server sees it.
        landNextRequestOnOtherNodeThan(exchangedOn);
        HttpResponse<String> refreshed = client.refresh((String) Json.object(tokens.body()).get("refresh_token"), deployment.mcpUrl());
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        String refreshedOn = upstream(refreshed);
        assertNotEquals(exchangedOn, refreshedOn);
        Map<String, Object> refreshedTokens = Json.object(refreshed.body());
        assertEquals(List.of(deployment.mcpUrl()), AccessTokens.audience((String) refreshedTokens.get("access_token")));
        landNextRequestOnOtherNodeThan(refreshedOn);
        HttpResponse<String> revoked = client.http.postForm((String) metadata.get("revocation_endpoint"),
                Map.of("token", (String) refreshedTokens.get("refresh_token"), "client_id", client.clientId));
        assertEquals(200, revoked.statusCode(), revoked::body);
        assertNotEquals(refreshedOn, upstream(revoked));
        // The sample server has not seen this access token yet: its introspection (on whichever node) finds it revoked.
        HttpResponse<String> afterRevocation = new Http().postJson(deployment.mcpUrl(), McpHttp.initializeRequest(),
                "Accept", McpHttp.ACCEPT, "Authorization", "Bearer " + refreshedTokens.get("access_token"));
        assertEquals(401, afterRevocation.statusCode());
        assertTrue(afterRevocation.headers().firstValue("WWW-Authenticate").orElseThrow().contains("invalid_token"));
    }

    /** The nodes (HTTP ports nginx went to) that answered the agents' requests to Keycloak, in order. */
    private static List<String> nodesThatAnswered(Http... agents) {
        List<String> nodes = new ArrayList<>();
        for (Http agent : agents) {
            agent.history().stream().filter(response -> response.uri().toString().startsWith(deployment.stack.baseUrl() + "/"))
                    .map(ProductionFlowIT::upstream).forEach(nodes::add);
        }
        return nodes;
    }

    static String upstream(HttpResponse<String> response) {
        String upstream = response.headers().firstValue("X-Upstream").orElseThrow(() -> new AssertionError("No X-Upstream: " + response.uri()));
        return deployment.stack.nodeAt(upstream).name();
    }

    /**
     * nginx sends each request to the other node than the one before (one worker, round robin): a cheap request
     * that lands on {@code node} makes the next one land on the other node.
     */
    static void landNextRequestOnOtherNodeThan(String node) {
        Http probe = new Http();
        for (int i = 0; i < 3; i++) {
            if (upstream(probe.get(deployment.stack.baseUrl() + "/realms/mcp/.well-known/openid-configuration")).equals(node)) {
                return;
            }
        }
        throw new AssertionError("The proxy does not alternate the nodes");
    }

    private static String last(List<String> values) {
        return values.get(values.size() - 1);
    }
}
