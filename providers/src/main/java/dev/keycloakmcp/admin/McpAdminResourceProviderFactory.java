package dev.keycloakmcp.admin;

import java.lang.reflect.Proxy;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;

/**
 * Mounts {@link McpAdminResource} at {@code /admin/realms/{realm}/mcp}, behind Keycloak's admin authentication (its
 * bearer token check and CORS). The provider is a proxy: {@code getResource}'s permission parameter changed package in
 * Keycloak 26.3, and a class compiled against one line would not implement the method of the other ({@link AdminAccess}).
 */
public class McpAdminResourceProviderFactory implements AdminRealmResourceProviderFactory {

    static final String ID = "mcp";

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return (AdminRealmResourceProvider) Proxy.newProxyInstance(AdminRealmResourceProvider.class.getClassLoader(),
                new Class<?>[] { AdminRealmResourceProvider.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getResource" -> new McpAdminResource((KeycloakSession) args[0], (RealmModel) args[1],
                            new AdminAccess(args[2]), (AdminEventBuilder) args[3]);
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "keycloak-mcp admin resource";
                    default -> null;
                });
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
