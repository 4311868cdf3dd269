package dev.keycloakmcp.spring;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/**
 * Fails fast: introspects a dummy token once at startup, before the port opens. Keycloak must answer "inactive"; an unreachable issuer, a
 * wrong introspection URL or a secret Keycloak refuses stops the server with a message naming the settings, instead of
 * every client getting 503 later. {@code mcp.check-at-startup=false} skips it (Keycloak started after this server).
 */
@Component
@ConditionalOnBooleanProperty(name = "mcp.check-at-startup", matchIfMissing = true)
class IntrospectionStartupCheck implements SmartInitializingSingleton {

    private final OpaqueTokenIntrospector introspector;
    private final McpResourceServerProperties properties;

    IntrospectionStartupCheck(OpaqueTokenIntrospector introspector, McpResourceServerProperties properties) {
        this.introspector = introspector;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        try {
            introspector.introspect("startup-check-not-a-token");
        } catch (BadOpaqueTokenException expected) {
            // Keycloak answered and accepted this server's credentials.
            return;
        } catch (OAuth2IntrospectionException e) {
            throw new IllegalStateException("Cannot introspect at " + properties.introspectionUri() + " as client "
                    + properties.clientId() + ": " + e.getMessage() + ". Check mcp.issuer (MCP_ISSUER), mcp.introspection-uri, "
                    + "mcp.client-id (MCP_CLIENT_ID) and mcp.client-secret (MCP_CLIENT_SECRET).", e);
        }
        throw new IllegalStateException("Keycloak accepted a made-up token at " + properties.introspectionUri());
    }
}
