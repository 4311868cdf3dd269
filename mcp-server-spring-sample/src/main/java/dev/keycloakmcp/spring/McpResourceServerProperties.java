package dev.keycloakmcp.spring;

import java.net.URI;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How this MCP server is known to Keycloak ({@code mcp.*} in application.properties; {@code MCP_ISSUER},
 * {@code MCP_RESOURCE}, {@code MCP_CLIENT_SECRET}... override them).
 *
 * @param issuer the realm's issuer, exactly as in its tokens ({@code iss})
 * @param resource the canonical URL clients connect to; tokens must name it in {@code aud}
 * @param clientId this server's confidential client in the realm (the resource URL when registered by the pack)
 * @param clientSecret that client's secret, for introspection
 * @param introspectionUri RFC 7662 endpoint; empty: Keycloak's at the issuer
 * @param requiredScope the scope every MCP request needs
 * @param writeScope the extra scope of tools that change data
 * @param resourceName shown by clients (RFC 9728 {@code resource_name})
 * @param checkAtStartup introspect a dummy token at startup, so a wrong issuer or secret stops the server at once
 */
@ConfigurationProperties("mcp")
public record McpResourceServerProperties(String issuer, String resource, String clientId, String clientSecret,
        String introspectionUri, String requiredScope, String writeScope, String resourceName, boolean checkAtStartup) {

    static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    public McpResourceServerProperties {
        require("mcp.issuer", issuer);
        require("mcp.resource", resource);
        require("mcp.client-secret", clientSecret);
        resource = canonical(resource);
        // Tokens name the issuer without a trailing slash: one written with it would match no token.
        issuer = issuer.trim().replaceAll("/+$", "");
        // Registered by the pack under the canonical URL.
        clientId = clientId == null || clientId.isBlank() ? resource : clientId;
        introspectionUri = introspectionUri == null || introspectionUri.isBlank()
                ? issuer + "/protocol/openid-connect/token/introspect" : introspectionUri;
    }

    /** RFC 9728 §3.1: the metadata URL is the resource's origin, the well-known path, then the resource's path. */
    public String protectedResourceMetadataUrl() {
        URI uri = URI.create(resource);
        String origin = resource.substring(0, resource.length() - (uri.getRawPath() == null ? 0 : uri.getRawPath().length()));
        return origin + METADATA_PATH + uri.getRawPath();
    }

    /** The path the MCP endpoint is served at (what spring.ai.mcp.server.streamable-http.mcp-endpoint must say). */
    public String mcpPath() {
        String path = URI.create(resource).getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** Lowercase scheme and host, no trailing slash, no query or fragment: the form clients send as {@code resource}. */
    static String canonical(String url) {
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("mcp.resource must be an absolute http(s) URL without query or fragment: " + url);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
    }
}
