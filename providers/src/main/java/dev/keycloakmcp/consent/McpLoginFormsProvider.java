package dev.keycloakmcp.consent;

import java.util.Locale;
import java.util.Properties;

import jakarta.ws.rs.core.UriBuilder;

import org.keycloak.OAuth2Constants;
import org.keycloak.forms.login.LoginFormsPages;
import org.keycloak.forms.login.freemarker.FreeMarkerLoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

import dev.keycloakmcp.device.DeviceCodeResource;

/** Keycloak's FreeMarker login forms, plus the {@code mcp} bean for MCP authorization requests. */
class McpLoginFormsProvider extends FreeMarkerLoginFormsProvider {

    static final String ATTRIBUTE = "mcp";

    public McpLoginFormsProvider(KeycloakSession session) {
        super(session);
    }

    @Override
    protected void createCommonAttributes(Theme theme, Locale locale, Properties messagesBundle, UriBuilder baseUriBuilder,
            LoginFormsPages page) {
        super.createCommonAttributes(theme, locale, messagesBundle, baseUriBuilder, page);
        if (authenticationSession != null && authenticationSession.getClientNote(OAuth2Constants.RESOURCE) == null) {
            // The device flow's session names no resource: the device code being approved does.
            DeviceCodeResource.ofVerification(session, authenticationSession)
                    .ifPresent(resource -> authenticationSession.setClientNote(OAuth2Constants.RESOURCE, resource));
        }
        McpAuthorizationBean.of(authenticationSession).ifPresent(bean -> attributes.put(ATTRIBUTE, bean));
    }
}
