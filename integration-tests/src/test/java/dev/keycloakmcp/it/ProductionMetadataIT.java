package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakNode;
import dev.keycloakmcp.it.support.ProductionDeployment;
import dev.keycloakmcp.it.support.ProductionStackTest;

/**
 * MCP clients compare the issuer byte for byte: on the production-shape stack every URL a client is given is the
 * public https one, and every node gives the same documents, through the proxy or not.
 */
@ProductionStackTest
class ProductionMetadataIT {

    private static ProductionDeployment deployment;

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/oauth-authorization-server/realms/mcp", "/realms/mcp/.well-known/openid-configuration",
            "/.well-known/openid-configuration/realms/mcp", "/realms/mcp/protocol/openid-connect/certs"})
    void everyNodeGivesTheSameDocumentThroughTheProxyAndDirectly(String path) {
        Http http = new Http();
        List<String> bodies = new ArrayList<>();
        List<String> upstreams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> viaProxy = http.get(deployment.stack.baseUrl() + path);
            assertEquals(200, viaProxy.statusCode(), viaProxy::body);
            bodies.add(viaProxy.body());
            upstreams.add(viaProxy.headers().firstValue("X-Upstream").orElseThrow());
        }
        assertNotEquals(upstreams.get(0), upstreams.get(1), "the proxy alternates the nodes");
        for (KeycloakNode node : deployment.stack.nodes()) {
            // A node's own ports: no forwarded headers at all (HTTP), and its own TLS (HTTPS).
            for (String base : List.of(node.httpUrl(), node.httpsUrl())) {
                HttpResponse<String> direct = http.get(base + path);
                assertEquals(200, direct.statusCode(), direct::body);
                bodies.add(direct.body());
            }
        }
        assertEquals(1, bodies.stream().distinct().count(), () -> "Different documents at " + path + ": " + bodies);
    }

    @Test
    void theMetadataNamesOnlyPublicHttpsUrls() {
        Map<String, Object> metadata = deployment.metadata();
        assertEquals(deployment.stack.baseUrl() + "/realms/mcp", metadata.get("issuer"));
        for (Map.Entry<String, Object> member : metadata.entrySet()) {
            if (member.getKey().endsWith("_endpoint") || member.getKey().endsWith("_uri")) {
                assertTrue(String.valueOf(member.getValue()).startsWith(deployment.stack.baseUrl() + "/realms/mcp/"), member::toString);
            }
        }
    }

    @Test
    void theMcpServerBehindTheProxyPointsAtThePublicIssuer() {
        Http http = new Http();
        HttpResponse<String> challenge = http.postJson(deployment.mcpUrl(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}",
                "Accept", "application/json, text/event-stream");
        assertEquals(401, challenge.statusCode());
        String prmUrl = deployment.mcpUrl().replace("/mcp", "/.well-known/oauth-protected-resource/mcp");
        assertTrue(challenge.headers().firstValue("WWW-Authenticate").orElseThrow().contains("resource_metadata=\"" + prmUrl + "\""),
                () -> challenge.headers().map().toString());
        Map<String, Object> prm = Json.object(http.get(prmUrl).body());
        assertEquals(deployment.mcpUrl(), prm.get("resource"));
        assertEquals(List.of(deployment.issuer()), prm.get("authorization_servers"));
    }
}
