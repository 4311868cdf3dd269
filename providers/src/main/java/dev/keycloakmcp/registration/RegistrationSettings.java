package dev.keycloakmcp.registration;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

/**
 * What an admin set on the realm's {@code mcp-client-registration} policy (Clients → Client registration), the
 * realm's settings for MCP clients: how they register, how long they live, what their authorization requests need; with
 * the safe defaults used when a value is missing. Read from the realm's components on each use, so every node of a
 * cluster applies the same settings.
 *
 * @param privateUseSchemes        extra redirect-URI schemes allowed besides reverse-domain ones (e.g. {@code cursor})
 * @param allowConfidentialClients whether a client may register with a client secret
 * @param maxMcpClients            cap on self-registered MCP clients, metadata-document ones included (0 = no cap)
 * @param registrationsPerMinute   registrations allowed per source address and minute (0 = no limit)
 * @param unusedClientLifespan     seconds after the last token (or the registration) when an MCP client is removed (0 = never)
 * @param requireResource          whether an MCP client's authorization request must name an MCP server ({@code resource})
 */
public record RegistrationSettings(Set<String> privateUseSchemes, boolean allowConfidentialClients, int maxMcpClients,
        int registrationsPerMinute, long unusedClientLifespan, boolean requireResource) {

    public static final String PRIVATE_USE_SCHEMES = "private-use-schemes";
    public static final String ALLOW_CONFIDENTIAL = "allow-confidential-clients";
    public static final String MAX_MCP_CLIENTS = "max-mcp-clients";
    public static final String REGISTRATIONS_PER_MINUTE = "registrations-per-minute";
    public static final String UNUSED_CLIENT_LIFESPAN = "unused-client-lifespan";
    public static final String REQUIRE_RESOURCE = "require-resource";

    static final int DEFAULT_MAX_MCP_CLIENTS = 1000;
    static final int DEFAULT_REGISTRATIONS_PER_MINUTE = 10;
    static final long DEFAULT_UNUSED_CLIENT_LIFESPAN = 30L * 24 * 3600;

    public static final RegistrationSettings DEFAULTS = new RegistrationSettings(Set.of(), false, DEFAULT_MAX_MCP_CLIENTS,
            DEFAULT_REGISTRATIONS_PER_MINUTE, DEFAULT_UNUSED_CLIENT_LIFESPAN, false);

    /** The settings of the realm's anonymous {@code mcp-client-registration} policy, or the defaults. */
    public static RegistrationSettings of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), ClientRegistrationPolicy.class.getName())
                .filter(component -> McpRegistrationPolicyFactory.ID.equals(component.getProviderId()))
                .filter(component -> ClientRegistrationPolicyManager.getComponentTypeKey(RegistrationAuth.ANONYMOUS).equals(component.getSubType()))
                .findFirst()
                .map(RegistrationSettings::of)
                .orElse(DEFAULTS);
    }

    static RegistrationSettings of(ComponentModel component) {
        List<String> schemes = component.getConfig().get(PRIVATE_USE_SCHEMES);
        return new RegistrationSettings(
                schemes == null ? Set.of() : schemes.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet()),
                Boolean.parseBoolean(component.get(ALLOW_CONFIDENTIAL)),
                number(component, MAX_MCP_CLIENTS, DEFAULT_MAX_MCP_CLIENTS),
                number(component, REGISTRATIONS_PER_MINUTE, DEFAULT_REGISTRATIONS_PER_MINUTE),
                number(component, UNUSED_CLIENT_LIFESPAN, DEFAULT_UNUSED_CLIENT_LIFESPAN),
                Boolean.parseBoolean(component.get(REQUIRE_RESOURCE)));
    }

    private static int number(ComponentModel component, String key, int fallback) {
        return (int) number(component, key, (long) fallback);
    }

    private static long number(ComponentModel component, String key, long fallback) {
        return nonNegative(component.get(key), fallback);
    }

    /** A setting's whole number: negatives count as 0; missing or unreadable values get {@code fallback}. */
    public static long nonNegative(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
