package dev.keycloakmcp.sample;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the sample server, from {@code --name=value} flags, then environment variables, then the demo's
 * defaults. The canonical resource URL is configured separately from the bind address so that the server works
 * behind a proxy.
 *
 * @param issuer       realm issuer, e.g. {@code http://localhost:8080/realms/mcp} ({@code MCP_ISSUER})
 * @param resource     canonical URL clients use and tokens must be bound to ({@code MCP_RESOURCE})
 * @param clientId     client used for introspection ({@code MCP_CLIENT_ID}); defaults to the resource URL
 * @param clientSecret its secret ({@code MCP_CLIENT_SECRET}); the default is the demo realm's demo-only secret
 * @param host         bind address ({@code MCP_HOST})
 * @param port         bind port ({@code MCP_PORT}); 0 picks a free port
 * @param requiredScope scope every MCP request needs ({@code MCP_REQUIRED_SCOPE})
 */
public record SampleServerConfig(String issuer, String resource, String clientId, String clientSecret, String host,
        int port, String requiredScope) {

    public static final String DEMO_CLIENT_SECRET = "demo-only-sample-server-secret";

    public SampleServerConfig {
        resource = canonical(resource);
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    public static SampleServerConfig fromEnvironment(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Unknown argument '" + arg + "': use --name=value");
            }
            flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings settings = new Settings(flags, env);
        String portText = settings.get("port", "MCP_PORT", "3000");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("MCP_PORT / --port must be a number, got '" + portText + "'");
        }
        String resource = canonical(settings.get("resource", "MCP_RESOURCE", "http://localhost:" + port + "/mcp"));
        return new SampleServerConfig(
                settings.get("issuer", "MCP_ISSUER", "http://localhost:8080/realms/mcp"),
                resource,
                // In the realm, an MCP server's client id is its canonical URL.
                settings.get("client-id", "MCP_CLIENT_ID", resource),
                settings.get("client-secret", "MCP_CLIENT_SECRET", DEMO_CLIENT_SECRET),
                settings.get("host", "MCP_HOST", "localhost"),
                port,
                settings.get("required-scope", "MCP_REQUIRED_SCOPE", "mcp:tools"));
    }

    /** Path of the MCP endpoint, taken from the canonical URL (e.g. {@code /mcp}). */
    public String mcpPath() {
        String path = URI.create(resource).getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
    public String protectedResourceMetadataUrl() {
        URI uri = URI.create(resource);
        String path = mcpPath().equals("/") ? "" : mcpPath();
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/.well-known/oauth-protected-resource" + path;
    }

    static String canonical(String url) {
        URI uri = URI.create(url.trim());
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("MCP_RESOURCE must be an absolute http(s) URL without fragment, got '" + url + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path;
    }

    private record Settings(Map<String, String> flags, Map<String, String> env) {
        String get(String flag, String variable, String fallback) {
            String value = flags.getOrDefault(flag, env.get(variable));
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
