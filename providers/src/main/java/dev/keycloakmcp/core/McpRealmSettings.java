package dev.keycloakmcp.core;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.models.RealmModel;

/**
 * The realm's settings for MCP clients: how they register, how long they live, what their authorization requests need.
 * Kept on the realm's anonymous {@value #POLICY_ID} policy ({@link AnonymousPolicy}) and read on each use; missing
 * values take the safe defaults. The console form is the registration policy's; the keys are here because every
 * capability reads them.
 *
 * @param privateUseSchemes        extra redirect-URI schemes allowed besides reverse-domain ones (e.g. {@code cursor})
 * @param allowConfidentialClients whether a client may register with a client secret
 * @param maxMcpClients            cap on self-registered MCP clients, metadata-document ones included (0 = no cap)
 * @param registrationsPerMinute   registrations allowed per source address and minute (0 = no limit)
 * @param unusedClientLifespan     seconds after the last token (or the registration) when an MCP client is removed (0 = never)
 * @param requireResource          whether an MCP client's authorization request must name an MCP server ({@code resource})
 * @param deviceGrant              whether MCP clients may register for and use the RFC 8628 device grant
 * @param clientCredentials        whether MCP machine clients may use the {@code client_credentials} grant (and the
 *                                 metadata advertises it)
 */
public record McpRealmSettings(Set<String> privateUseSchemes, boolean allowConfidentialClients, int maxMcpClients,
        int registrationsPerMinute, long unusedClientLifespan, boolean requireResource, boolean deviceGrant,
        boolean clientCredentials) {

    /** Provider id of the registration policy that holds the settings. */
    public static final String POLICY_ID = "mcp-client-registration";

    public static final String PRIVATE_USE_SCHEMES = "private-use-schemes";
    public static final String ALLOW_CONFIDENTIAL = "allow-confidential-clients";
    public static final String MAX_MCP_CLIENTS = "max-mcp-clients";
    public static final String REGISTRATIONS_PER_MINUTE = "registrations-per-minute";
    public static final String UNUSED_CLIENT_LIFESPAN = "unused-client-lifespan";
    public static final String REQUIRE_RESOURCE = "require-resource";
    public static final String DEVICE_GRANT = "device-grant";
    public static final String CLIENT_CREDENTIALS = "client-credentials";

    public static final int DEFAULT_MAX_MCP_CLIENTS = 1000;
    public static final int DEFAULT_REGISTRATIONS_PER_MINUTE = 10;
    public static final long DEFAULT_UNUSED_CLIENT_LIFESPAN = 30L * 24 * 3600;

    public static final McpRealmSettings DEFAULTS = new McpRealmSettings(Set.of(), false, DEFAULT_MAX_MCP_CLIENTS,
            DEFAULT_REGISTRATIONS_PER_MINUTE, DEFAULT_UNUSED_CLIENT_LIFESPAN, false, false, false);

    /** The settings of the realm's anonymous {@code mcp-client-registration} policy, or the defaults. */
    public static McpRealmSettings of(RealmModel realm) {
        return AnonymousPolicy.of(realm, POLICY_ID).map(McpRealmSettings::of).orElse(DEFAULTS);
    }

    static McpRealmSettings of(AnonymousPolicy policy) {
        return new McpRealmSettings(
                policy.list(PRIVATE_USE_SCHEMES).stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                policy.flag(ALLOW_CONFIDENTIAL),
                (int) policy.wholeNumber(MAX_MCP_CLIENTS, DEFAULT_MAX_MCP_CLIENTS),
                (int) policy.wholeNumber(REGISTRATIONS_PER_MINUTE, DEFAULT_REGISTRATIONS_PER_MINUTE),
                policy.wholeNumber(UNUSED_CLIENT_LIFESPAN, DEFAULT_UNUSED_CLIENT_LIFESPAN),
                policy.flag(REQUIRE_RESOURCE),
                policy.flag(DEVICE_GRANT),
                policy.flag(CLIENT_CREDENTIALS));
    }
}
