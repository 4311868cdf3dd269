package dev.keycloakmcp.sample;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

import dev.keycloakmcp.resourceserver.DpopSettings;
import dev.keycloakmcp.resourceserver.IntrospectionSettings;
import dev.keycloakmcp.resourceserver.McpAuthSettings;
import dev.keycloakmcp.resourceserver.SignedTokenSettings;
import dev.keycloakmcp.sample.onbehalf.OnBehalfOfSettings;

/**
 * Settings of the sample server, from {@code --name=value} flags, then environment variables, then the demo's
 * defaults (every one is listed in {@link Setting} and in docs/sample-server.md). The canonical resource URL is configured
 * apart from the bind address so that the server works behind a proxy.
 *
 * @param issuer        realm issuer, e.g. {@code http://localhost:8080/realms/mcp}
 * @param resource      canonical URL clients use and tokens must be bound to
 * @param resourceName  human-readable name in the protected resource metadata
 * @param clientId      client used for introspection; defaults to the resource URL
 * @param clientSecret  its secret; the default is the demo realm's demo-only secret
 * @param host          bind address
 * @param port          bind port; 0 picks a free port
 * @param requiredScope scope every MCP request needs
 * @param writeScope    extra scope the tools that change data need (step-up)
 * @param introspection how tokens are introspected and answers cached
 * @param signedTokens  how tokens are checked here before they are introspected
 * @param metricsPort   port of {@code GET /metrics} on the bind address, apart from the MCP port so that a proxy in
 *                      front of the MCP server does not publish it; empty: no metrics endpoint (0 picks a port)
 * @param dpop          how DPoP-bound tokens are taken: accepted next to Bearer by default, or required
 * @param onBehalfOf    how the {@code downstream_profile} tool calls the downstream API as the user (token exchange)
 */
public record SampleServerConfig(String issuer, String resource, String resourceName, String clientId, String clientSecret,
        String host, int port, String requiredScope, String writeScope, IntrospectionSettings introspection,
        SignedTokenSettings signedTokens, OptionalInt metricsPort, DpopSettings dpop, OnBehalfOfSettings onBehalfOf) {

    public static final String DEMO_CLIENT_SECRET = "demo-only-sample-server-secret";
    /** The demo realm's downstream API: its client id (the exchanged token's audience) and where the demo runs it. */
    public static final String DEMO_DOWNSTREAM_AUDIENCE = "http://localhost:3001/api";

    /** Every setting: its flag, its environment variable and its default ({@code null}: derived from others). */
    public enum Setting implements CommandLine.Setting {
        ISSUER("issuer", "MCP_ISSUER", "http://localhost:8080/realms/mcp"),
        RESOURCE("resource", "MCP_RESOURCE", null),
        RESOURCE_NAME("resource-name", "MCP_RESOURCE_NAME", "keycloak-mcp sample MCP server"),
        CLIENT_ID("client-id", "MCP_CLIENT_ID", null),
        CLIENT_SECRET("client-secret", "MCP_CLIENT_SECRET", DEMO_CLIENT_SECRET),
        HOST("host", "MCP_HOST", "localhost"),
        PORT("port", "MCP_PORT", "3000"),
        REQUIRED_SCOPE("required-scope", "MCP_REQUIRED_SCOPE", "mcp:tools"),
        WRITE_SCOPE("write-scope", "MCP_WRITE_SCOPE", "mcp:tools:write"),
        INTROSPECTION_URL("introspection-url", "MCP_INTROSPECTION_URL", null),
        CONNECT_TIMEOUT_MS("connect-timeout-ms", "MCP_CONNECT_TIMEOUT_MS", "2000"),
        INTROSPECTION_TIMEOUT_MS("introspection-timeout-ms", "MCP_INTROSPECTION_TIMEOUT_MS", "5000"),
        TOKEN_CACHE_SECONDS("token-cache-seconds", "MCP_TOKEN_CACHE_SECONDS", "30"),
        INACTIVE_TOKEN_CACHE_SECONDS("inactive-token-cache-seconds", "MCP_INACTIVE_TOKEN_CACHE_SECONDS", "5"),
        TOKEN_CACHE_SIZE("token-cache-size", "MCP_TOKEN_CACHE_SIZE", "10000"),
        MAX_CONCURRENT_INTROSPECTIONS("max-concurrent-introspections", "MCP_MAX_CONCURRENT_INTROSPECTIONS", "32"),
        JWKS_URL("jwks-url", "MCP_JWKS_URL", null),
        JWKS_REFETCH_SECONDS("jwks-refetch-seconds", "MCP_JWKS_REFETCH_SECONDS", "10"),
        CLOCK_SKEW_SECONDS("clock-skew-seconds", "MCP_CLOCK_SKEW_SECONDS", "30"),
        METRICS_PORT("metrics-port", "MCP_METRICS_PORT", null),
        REQUIRE_DPOP("require-dpop", "MCP_REQUIRE_DPOP", "false"),
        DPOP_PROOF_SECONDS("dpop-proof-seconds", "MCP_DPOP_PROOF_SECONDS", "60"),
        TOKEN_ENDPOINT("token-endpoint", "MCP_TOKEN_ENDPOINT", null),
        DOWNSTREAM_URL("downstream-url", "MCP_DOWNSTREAM_URL", DEMO_DOWNSTREAM_AUDIENCE + "/profile"),
        DOWNSTREAM_AUDIENCE("downstream-audience", "MCP_DOWNSTREAM_AUDIENCE", DEMO_DOWNSTREAM_AUDIENCE),
        DOWNSTREAM_SCOPE("downstream-scope", "MCP_DOWNSTREAM_SCOPE", "downstream:read"),
        DOWNSTREAM_TOKEN_MARGIN_SECONDS("downstream-token-margin-seconds", "MCP_DOWNSTREAM_TOKEN_MARGIN_SECONDS", "30");

        public final String flag;
        public final String variable;
        public final String fallback;

        Setting(String flag, String variable, String fallback) {
            this.flag = flag;
            this.variable = variable;
            this.fallback = fallback;
        }

        @Override
        public String flag() {
            return flag;
        }

        @Override
        public String variable() {
            return variable;
        }

        @Override
        public String fallback() {
            return fallback;
        }

        @Override
        public String toString() {
            return variable + " / --" + flag;
        }
    }

    public SampleServerConfig {
        resource = canonical(resource);
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalArgumentException(Setting.ISSUER + " must be an http(s) URL, got '" + issuer + "'");
        }
        if (requiredScope.isBlank() || requiredScope.contains(" ") || writeScope.isBlank() || writeScope.contains(" ")) {
            throw new IllegalArgumentException("Scopes are single names without spaces");
        }
    }

    public static SampleServerConfig fromEnvironment(String[] args, Map<String, String> env) {
        Function<Setting, String> values = CommandLine.values(args, env, Setting.values(), "docs/sample-server.md");
        int port = (int) number(values, Setting.PORT, 65535);
        if (port == 0 && values.apply(Setting.RESOURCE) == null) {
            // No token can name a URL with a port picked at random: the canonical URL must be given.
            throw new IllegalArgumentException(Setting.PORT + " 0 needs " + Setting.RESOURCE);
        }
        String resource = canonical(orElse(values.apply(Setting.RESOURCE), "http://localhost:" + port + "/mcp"));
        String introspectionUrl = values.apply(Setting.INTROSPECTION_URL);
        IntrospectionSettings introspection = new IntrospectionSettings(
                introspectionUrl == null ? null : httpUrl(introspectionUrl, Setting.INTROSPECTION_URL),
                Duration.ofMillis(positive(values, Setting.CONNECT_TIMEOUT_MS)),
                Duration.ofMillis(positive(values, Setting.INTROSPECTION_TIMEOUT_MS)),
                Duration.ofSeconds(number(values, Setting.TOKEN_CACHE_SECONDS, 3600)),
                Duration.ofSeconds(number(values, Setting.INACTIVE_TOKEN_CACHE_SECONDS, 3600)),
                positive(values, Setting.TOKEN_CACHE_SIZE),
                (int) positive(values, Setting.MAX_CONCURRENT_INTROSPECTIONS));
        String jwksUrl = values.apply(Setting.JWKS_URL);
        SignedTokenSettings signedTokens = new SignedTokenSettings(
                jwksUrl == null ? null : httpUrl(jwksUrl, Setting.JWKS_URL),
                Duration.ofSeconds(positive(values, Setting.JWKS_REFETCH_SECONDS, 3600)),
                Duration.ofSeconds(number(values, Setting.CLOCK_SKEW_SECONDS, 300)));
        return new SampleServerConfig(
                values.apply(Setting.ISSUER),
                resource,
                values.apply(Setting.RESOURCE_NAME),
                // In the realm, an MCP server's client id is its canonical URL.
                orElse(values.apply(Setting.CLIENT_ID), resource),
                values.apply(Setting.CLIENT_SECRET),
                values.apply(Setting.HOST),
                port,
                values.apply(Setting.REQUIRED_SCOPE),
                values.apply(Setting.WRITE_SCOPE),
                introspection,
                signedTokens,
                values.apply(Setting.METRICS_PORT) == null ? OptionalInt.empty() : OptionalInt.of((int) number(values, Setting.METRICS_PORT, 65535)),
                dpop(values),
                onBehalfOf(values, introspection));
    }

    private static OnBehalfOfSettings onBehalfOf(Function<Setting, String> values, IntrospectionSettings introspection) {
        String issuer = values.apply(Setting.ISSUER);
        issuer = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        // Keycloak's token endpoint is at a fixed place under the issuer; MCP_TOKEN_ENDPOINT for a private route.
        if (!issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalArgumentException(Setting.ISSUER + " must be an http(s) URL, got '" + issuer + "'");
        }
        String tokenEndpoint = orElse(values.apply(Setting.TOKEN_ENDPOINT), issuer + "/protocol/openid-connect/token");
        String scope = values.apply(Setting.DOWNSTREAM_SCOPE);
        if (scope.contains(" ")) {
            throw new IllegalArgumentException(Setting.DOWNSTREAM_SCOPE + " is one scope name without spaces, got '" + scope + "'");
        }
        return new OnBehalfOfSettings(httpUrl(tokenEndpoint, Setting.TOKEN_ENDPOINT), httpUrl(values.apply(Setting.DOWNSTREAM_URL),
                Setting.DOWNSTREAM_URL), values.apply(Setting.DOWNSTREAM_AUDIENCE), scope, introspection.timeout(),
                Duration.ofSeconds(number(values, Setting.DOWNSTREAM_TOKEN_MARGIN_SECONDS, 3600)), introspection.cacheSize());
    }

    private static DpopSettings dpop(Function<Setting, String> values) {
        String required = values.apply(Setting.REQUIRE_DPOP);
        if (!required.equals("true") && !required.equals("false")) {
            throw new IllegalArgumentException(Setting.REQUIRE_DPOP + " must be true or false, got '" + required + "'");
        }
        DpopSettings defaults = DpopSettings.defaults();
        return new DpopSettings(Boolean.parseBoolean(required), Duration.ofSeconds(positive(values, Setting.DPOP_PROOF_SECONDS, 600)),
                defaults.clockSkew(), defaults.replay());
    }

    /** What the resource-server library needs of these settings. */
    public McpAuthSettings auth() {
        return new McpAuthSettings(issuer, resource, resourceName, clientId, clientSecret, requiredScope, introspection, signedTokens, dpop);
    }

    /** Path of the MCP endpoint, taken from the canonical URL (e.g. {@code /mcp}). */
    public String mcpPath() {
        return auth().mcpPath();
    }

    /** RFC 9728 §3.1: the metadata URL inserts the well-known segment before the resource's path. */
    public String protectedResourceMetadataUrl() {
        return auth().protectedResourceMetadataUrl();
    }

    /** MCP's canonical server URI ({@link McpAuthSettings#canonical}), a wrong one reported by its setting's name. */
    static String canonical(String url) {
        try {
            return McpAuthSettings.canonical(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(Setting.RESOURCE + ": " + e.getMessage());
        }
    }

    private static URI httpUrl(String value, Setting setting) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(setting + " must be an http(s) URL, got '" + value + "'");
    }

    private static long number(Function<Setting, String> values, Setting setting, long max) {
        String text = values.apply(setting);
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(setting + " must be a whole number from 0 to " + max + ", got '" + text + "'");
    }

    private static long positive(Function<Setting, String> values, Setting setting) {
        return positive(values, setting, Integer.MAX_VALUE);
    }

    private static long positive(Function<Setting, String> values, Setting setting, long max) {
        long value = number(values, setting, max);
        if (value == 0) {
            throw new IllegalArgumentException(setting + " must be greater than 0");
        }
        return value;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }
}
