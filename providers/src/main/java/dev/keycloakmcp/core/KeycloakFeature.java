package dev.keycloakmcp.core;

import java.util.Arrays;

/**
 * What the pack uses of Keycloak that older tested lines lack, with the line that brought it and the other way the
 * pack takes without it. {@link KeycloakLine} probes each at start (a class, method or field, never the version string, so
 * that a vendor build with a backport is served the better way) and logs one line per missing feature.
 * The compatibility table in the README is made from these (KeycloakFeatureTest), and the compatibility run checks on
 * each line that the running Keycloak behaves as they say.
 */
public enum KeycloakFeature {

    AUTHORIZATION_CHECKS("26.7", "the authorization-endpoint check SPI",
            "org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider", null,
            "MCP rules at the authorization endpoint", "check SPI", "client policy `" + McpClientPolicy.NAME + "`",
            "the MCP rules for authorization requests (PKCE, resource, response mode, metadata-document refresh) run as "
                    + "the client profile \"" + McpClientPolicy.NAME + "\" of each MCP realm's client policies"),

    RESOURCE_IN_CODES("26.7", "the resource of authorization codes and refresh tokens",
            "org.keycloak.protocol.oidc.utils.OAuth2Code", "getResource",
            "Codes and refresh tokens bound to the MCP server", "in the code and token",
            "client policy `" + McpClientPolicy.NAME + "`; a wrong `resource` at the code exchange: `invalid_grant`",
            "the client profile \"" + McpClientPolicy.NAME + "\" binds codes and refresh tokens to their MCP server; "
                    + "a code exchange naming another resource is refused with invalid_grant and uses the code up"),

    ROOT_METADATA("26.4", "authorization server metadata at /.well-known/oauth-authorization-server/realms/{realm}",
            "org.keycloak.services.resources.ServerMetadataResource", null,
            "`/.well-known/oauth-authorization-server/realms/{realm}`", "yes", "no (clients fall back to the realm path)",
            "MCP clients find the metadata at /realms/{realm}/.well-known/openid-configuration, their last try"),

    ROOT_OPENID_CONFIGURATION("26.7", "OpenID configuration at /.well-known/openid-configuration/realms/{realm}",
            "org.keycloak.wellknown.WellKnownProviderFactory", "isAvailableViaServerMetadata",
            "`/.well-known/openid-configuration/realms/{realm}`", "yes", "no",
            "MCP clients find the metadata at /.well-known/oauth-authorization-server/realms/{realm} or "
                    + "/realms/{realm}/.well-known/openid-configuration"),

    REGISTRATION_ORIGIN_CHECK("26.7", "the origin check of Keycloak's CORS",
            "org.keycloak.services.cors.Cors", "checkAllowedOrigins",
            "Registration from a browser origin the MCP policy does not list", "403", "no CORS headers",
            "a registration from a browser origin the MCP policy does not list gets no CORS headers (the browser hides "
                    + "the answer) instead of 403"),

    DEFAULT_SCOPES_ON_IMPORT("26.7", "the realm-file attribute " + KeycloakFeature.CREATE_DEFAULT_CLIENT_SCOPES,
            "org.keycloak.models.Constants", "CREATE_DEFAULT_CLIENT_SCOPES",
            "Keycloak's default client scopes in an imported realm file that asks for them", "Keycloak", "the pack",
            "the pack creates Keycloak's default client scopes (basic, profile, email, …) in an MCP realm imported from a file "
                    + "that asks for them, such as realm-config/mcp-realm.json"),

    INTROSPECTION_AUDIENCE_CHECK("26.7", "the audience check at token introspection",
            "org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper", "isAllowTokenIntrospectionWithoutAudienceCheck",
            "Introspection by another MCP server", "inactive", "active, `aud` names the right server",
            "an MCP server that introspects a token issued for another MCP server sees it active, with that server in aud: "
                    + "MCP servers must check aud, as the MCP specification requires and the sample server does");

    /** Keycloak 26.7's realm attribute that asks an import for the default client scopes besides the file's own. */
    public static final String CREATE_DEFAULT_CLIENT_SCOPES = "CreateDefaultClientScopes";

    private final KeycloakVersion since;
    private final String description;
    private final String probeClass;
    private final String probeMember;
    private final String column;
    private final String cellWith;
    private final String cellWithout;
    private final String without;

    KeycloakFeature(String since, String description, String probeClass, String probeMember, String column, String cellWith,
            String cellWithout, String without) {
        this.since = KeycloakVersion.parse(since);
        this.description = description;
        this.probeClass = probeClass;
        this.probeMember = probeMember;
        this.column = column;
        this.cellWith = cellWith;
        this.cellWithout = cellWithout;
        this.without = without;
    }

    /** The first line that has it. */
    public KeycloakVersion since() {
        return since;
    }

    public String description() {
        return description;
    }

    /** The compatibility table's column (markdown). */
    public String column() {
        return column;
    }

    /** The compatibility table's cell for a line of this version (markdown). */
    public String cell(KeycloakVersion version) {
        return isOn(version) ? cellWith : cellWithout;
    }

    /** What the pack does on a line without it. */
    public String without() {
        return without;
    }

    /** Whether a line of this version has it (for the table and the tests; at runtime {@link KeycloakLine#has} probes). */
    public boolean isOn(KeycloakVersion version) {
        return version.compareTo(since) >= 0;
    }

    /** The start log line of a Keycloak that lacks it. */
    public String missingLine(KeycloakVersion running) {
        return "keycloak-mcp: Keycloak " + running + " lacks " + description + " (Keycloak " + since.line() + " has it): " + without;
    }

    /** Whether the running Keycloak has it: the class, and the public method or field when one is named, exist. */
    boolean probe() {
        try {
            Class<?> type = Class.forName(probeClass, false, KeycloakFeature.class.getClassLoader());
            return probeMember == null || Arrays.stream(type.getMethods()).anyMatch(m -> m.getName().equals(probeMember))
                    || Arrays.stream(type.getFields()).anyMatch(f -> f.getName().equals(probeMember));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
