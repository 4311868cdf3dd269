package dev.keycloakmcp.directory;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.PostMigrationEvent;

/**
 * The {@code keycloak-mcp} JPA entity provider: Keycloak creates the pack's table at start (and in {@code kc.sh build}
 * knows its entity). Once the database is migrated, and for each realm created or imported, clients made without the
 * table are listed ({@link DirectoryBackfill}). A removed user's grants go with the user ({@link McpGrants}).
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
            } else if (event instanceof UserModel.UserRemovedEvent removed) {
                // Users live in any user store (and may be in none of the database's tables): no foreign key, this.
                McpGrants.of(removed.getKeycloakSession()).forgetUser(removed.getUser().getId());
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
