package dev.keycloakmcp.consent;

import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.forms.login.freemarker.FreeMarkerLoginFormsProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's {@code freemarker} login forms factory, replaced (same id, higher order) by {@link McpLoginFormsProvider}.
 * So the {@code mcp} bean reaches every login theme's templates; pages render as before for anything else.
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
