package dev.keycloakmcp.registration;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

import org.keycloak.models.RealmModel;
import org.keycloak.services.cors.Cors;

import dev.keycloakmcp.core.AnonymousPolicy;
import dev.keycloakmcp.core.KeycloakFeature;
import dev.keycloakmcp.core.KeycloakLine;
import dev.keycloakmcp.core.McpRealmSettings;

/**
 * The CORS of the MCP registration endpoint: browser-based MCP clients may call it from the origins the realm's MCP
 * policy lists. Keycloak 26.7 refuses another origin (403) with what the registration policies allow; older lines
 * name the origins differently ({@code allowedOrigins(String...)}) and leave another origin without CORS headers
 * ({@link KeycloakFeature#REGISTRATION_ORIGIN_CHECK}).
 */
final class RegistrationCors {

    /** Keycloak 26.7's {@code checkAllowedOrigins}; before, the older {@code allowedOrigins} is called by name. */
    private static final boolean CHECKS_ORIGINS = KeycloakLine.has(KeycloakFeature.REGISTRATION_ORIGIN_CHECK);
    private static final Method OLDER_ALLOWED_ORIGINS = CHECKS_ORIGINS ? null : olderAllowedOrigins();

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

    private static Method olderAllowedOrigins() {
        try {
            return Cors.class.getMethod("allowedOrigins", String[].class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("Keycloak's Cors has neither checkAllowedOrigins nor allowedOrigins", e);
        }
    }
}
