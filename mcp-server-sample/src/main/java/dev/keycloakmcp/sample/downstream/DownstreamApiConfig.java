package dev.keycloakmcp.sample.downstream;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

import dev.keycloakmcp.resourceserver.IntrospectionSettings;
import dev.keycloakmcp.resourceserver.McpAuthSettings;
import dev.keycloakmcp.resourceserver.SignedTokenSettings;
import dev.keycloakmcp.sample.CommandLine;

/**
 * Settings of the sample's downstream API, from {@code --name=value} flags, then environment variables, then the
 * demo's defaults (docs/on-behalf-of.md lists them).
 *
 * @param issuer       realm issuer
 * @param audience     the API's identifier: its client id in the realm, which tokens for it carry in {@code aud}
 * @param clientSecret that client's secret, for introspection
 * @param host         bind address
 * @param port         bind port; 0 picks one
 * @param scope        the scope a token needs to read the profile
 */
public record DownstreamApiConfig(String issuer, String audience, String clientSecret, String host, int port, String scope) {

    public static final String DEMO_CLIENT_SECRET = "demo-only-downstream-api-secret";

    /** Every setting: its flag, its environment variable and its default. */
    public enum Setting implements CommandLine.Setting {
        ISSUER("issuer", "DOWNSTREAM_ISSUER", "http://localhost:8080/realms/mcp"),
        AUDIENCE("audience", "DOWNSTREAM_AUDIENCE", "http://localhost:3001/api"),
        CLIENT_SECRET("client-secret", "DOWNSTREAM_CLIENT_SECRET", DEMO_CLIENT_SECRET),
        HOST("host", "DOWNSTREAM_HOST", "localhost"),
        PORT("port", "DOWNSTREAM_PORT", "3001"),
        SCOPE("scope", "DOWNSTREAM_SCOPE", "downstream:read");

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

    public static DownstreamApiConfig fromEnvironment(String[] args, Map<String, String> env) {
        Function<Setting, String> values = CommandLine.values(args, env, Setting.values(), "docs/on-behalf-of.md");
        int port;
        try {
            port = Integer.parseInt(values.apply(Setting.PORT));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(Setting.PORT + " must be a port number, got '" + values.apply(Setting.PORT) + "'");
        }
        return new DownstreamApiConfig(values.apply(Setting.ISSUER), values.apply(Setting.AUDIENCE), values.apply(Setting.CLIENT_SECRET),
                values.apply(Setting.HOST), port, values.apply(Setting.SCOPE));
    }

    /**
     * The resource-server library's settings for this API: its identifier must be in {@code aud}, it introspects with its
     * own client, and the scope it needs. The library's checks are not MCP-specific; only its servlet filter is.
     */
    public McpAuthSettings auth() {
        return new McpAuthSettings(issuer, audience, "keycloak-mcp sample downstream API", audience, clientSecret, scope,
                IntrospectionSettings.defaults(), SignedTokenSettings.defaults());
    }

    /** The profile's path: the identifier's path plus {@code /profile} (e.g. {@code /api/profile}). */
    public String profilePath() {
        String path = URI.create(McpAuthSettings.canonical(audience)).getPath();
        return (path == null ? "" : path) + "/profile";
    }
}
