package dev.keycloakmcp.consent;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.FreeMarkerLoginFormsProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Replaces Keycloak's {@code freemarker} login forms factory (same id, higher order) so that our data reaches
 * every login theme's templates; pages render exactly as before for anything that is not an MCP request.
 */
public class McpLoginFormsProviderFactory extends FreeMarkerLoginFormsProviderFactory {

    @Override
    public LoginFormsProvider create(KeycloakSession session) {
        return new McpLoginFormsProvider(session);
    }

    @Override
    public int order() {
        return 1;
    }
}
