package dev.keycloakmcp.registration;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import org.keycloak.models.RealmModel;
import org.keycloak.services.cors.Cors;

import dev.keycloakmcp.core.AnonymousPolicy;
import dev.keycloakmcp.core.McpRealmSettings;

/**
 * The CORS of the MCP registration endpoint: browser-based MCP clients may call it from the origins the realm's MCP
 * policy lists. Keycloak 26.7 refuses another origin (403) with what the registration policies allow; older lines
 * name the origins differently ({@code allowedOrigins(String...)}) and leave another origin without CORS headers.
 */
final class RegistrationCors {

    /** Keycloak 26.7's method; absent before, where the older one is called by name. */
    private static final boolean CHECKS_ORIGINS = has("checkAllowedOrigins", List.class);
    private static final Method OLDER_ALLOWED_ORIGINS = CHECKS_ORIGINS ? null : find("allowedOrigins", String[].class);

    private RegistrationCors() {
    }

    static Cors of(RealmModel realm, McpClientRegistrationProvider provider) {
        if (CHECKS_ORIGINS) {
            return Cors.builder().auth().checkAllowedOrigins(provider.allowedOrigins());
        }
        List<String> origins = AnonymousPolicy.of(realm, McpRealmSettings.POLICY_ID)
                .map(policy -> policy.list(McpRegistrationPolicyFactory.WEB_ORIGINS)).orElse(List.of());
        try {
            return (Cors) OLDER_ALLOWED_ORIGINS.invoke(Cors.builder().auth(), (Object) origins.toArray(String[]::new));
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Keycloak's Cors.allowedOrigins could not be called", e);
        }
    }

    private static boolean has(String name, Class<?>... parameters) {
        return find(name, parameters) != null;
    }

    private static Method find(String name, Class<?>... parameters) {
        try {
            return Cors.class.getMethod(name, parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
