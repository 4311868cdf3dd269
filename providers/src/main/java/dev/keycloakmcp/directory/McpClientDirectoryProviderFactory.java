package dev.keycloakmcp.directory;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * The {@code keycloak-mcp} JPA entity provider: Keycloak creates the pack's table at start (and in {@code kc.sh build}
 * knows its entity). Once the database is migrated, and for each realm created or imported, clients made without the
 * table are listed ({@link DirectoryBackfill}).
 */
public class McpClientDirectoryProviderFactory implements JpaEntityProviderFactory {

    /** Also names Keycloak's changelog table of the pack's changesets. */
    static final String ID = "keycloak-mcp";

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return new McpClientDirectoryProvider();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                DirectoryBackfill.run(factory);
            } else if (event instanceof RealmModel.RealmPostCreateEvent created) {
                DirectoryBackfill.listCreated(created.getKeycloakSession(), created.getCreatedRealm());
            }
        });
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return ID;
    }
}
