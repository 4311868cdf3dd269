package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;



/**
 * RFC 9728 protected resource metadata: tells MCP clients which authorization server to use and for what. Only the
 * base scope is listed (MCP's scope minimization): clients ask for more when a tool's 403 challenge names it. The DPoP
 * members say which proofs the server checks and whether Bearer is refused.
 */
final class ProtectedResourceMetadataServlet extends HttpServlet {

    /** RFC 9728's well-known segment; the resource's path follows it. */
    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final String document;

    public ProtectedResourceMetadataServlet(McpAuthSettings config, McpJsonMapper json) throws IOException {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", config.resource());
        metadata.put("authorization_servers", List.of(config.issuer()));
        metadata.put("scopes_supported", List.of(config.requiredScope()));
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", config.resourceName());
        // RFC 9728 §2: the proof algorithms this server verifies, and whether it takes DPoP-bound tokens only.
        metadata.put("dpop_signing_alg_values_supported", List.copyOf(java.util.Arrays.asList(DpopProofCheck.ALGORITHM_NAMES.split(" "))));
        if (config.dpop().required()) {
            metadata.put("dpop_bound_access_tokens_required", Boolean.TRUE);
        }
        this.document = json.writeValueAsString(metadata);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.getWriter().write(document);
    }
}
