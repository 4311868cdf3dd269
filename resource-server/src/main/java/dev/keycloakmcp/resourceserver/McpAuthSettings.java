package dev.keycloakmcp.resourceserver;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * What an MCP server protected by Keycloak must know. {@link McpAuth#builder(String, String)} fills it with safe
 * defaults; a server with its own configuration (flags, environment, a framework's properties) may build it directly.
 *
 * @param issuer        the realm's issuer, e.g. {@code https://sso.example.com/realms/mcp}; tokens must name it
 * @param resource      the MCP server's canonical URL as clients use it (behind a proxy: the public one); tokens must
 *                      carry it in {@code aud}, and the realm knows the server by it
 * @param resourceName  human-readable name in the protected resource metadata
 * @param clientId      the server's own client in the realm, for introspection (by default its canonical URL)
 * @param clientSecret  that client's secret
 * @param requiredScope scope every MCP request needs; tools may need more ({@link RequiredScopes})
 * @param introspection how tokens are introspected and answers cached
 * @param signedTokens  how tokens are checked here before they are introspected
 * @param dpop          how DPoP-bound tokens and their proofs are taken (RFC 9449)
 */
public record McpAuthSettings(String issuer, String resource, String resourceName, String clientId, String clientSecret,
        String requiredScope, IntrospectionSettings introspection, SignedTokenSettings signedTokens, DpopSettings dpop) {

    /** Settings with DPoP accepted next to Bearer ({@link DpopSettings#defaults()}). */
    public McpAuthSettings(String issuer, String resource, String resourceName, String clientId, String clientSecret,
            String requiredScope, IntrospectionSettings introspection, SignedTokenSettings signedTokens) {
        this(issuer, resource, resourceName, clientId, clientSecret, requiredScope, introspection, signedTokens, DpopSettings.defaults());
    }

    public McpAuthSettings {
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(dpop, "dpop");
        Objects.requireNonNull(introspection, "introspection");
        Objects.requireNonNull(signedTokens, "signedTokens");
        resource = canonical(resource);
        issuer = Objects.requireNonNull(issuer, "issuer").trim();
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalArgumentException("The issuer must be an http(s) URL, got '" + issuer + "'");
        }
        clientId = clientId == null || clientId.isBlank() ? resource : clientId;
        resourceName = resourceName == null || resourceName.isBlank() ? resource : resourceName;
        if (requiredScope == null || requiredScope.isBlank() || requiredScope.contains(" ")) {
            throw new IllegalArgumentException("The required scope is one name without spaces, got '" + requiredScope + "'");
        }
    }

    /** Path of the MCP endpoint, taken from the canonical URL (e.g. {@code /mcp}). */
    public String mcpPath() {
        String path = URI.create(resource).getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
    public String protectedResourceMetadataUrl() {
        URI uri = URI.create(resource);
        return uri.getScheme() + "://" + uri.getRawAuthority() + ProtectedResourceMetadataServlet.WELL_KNOWN
                + (mcpPath().equals("/") ? "" : mcpPath());
    }

    /**
     * MCP's canonical server URI: lowercase scheme and host, no fragment, no query, no trailing slash. Tokens name the
     * server this way, so a URL written otherwise is made canonical rather than left to never match.
     */
    public static String canonical(String url) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "resource").trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The resource is not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawFragment() != null
                || uri.getRawQuery() != null) {
            throw new IllegalArgumentException("The resource must be an absolute http(s) URL without query or fragment, got '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path;
    }
}
