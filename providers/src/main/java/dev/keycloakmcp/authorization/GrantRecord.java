package dev.keycloakmcp.authorization;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakmcp.core.McpClientDescription;
import dev.keycloakmcp.core.ResourceServers;
import dev.keycloakmcp.directory.McpGrants;

/**
 * Records, at the code exchange, that a user granted an MCP client an MCP server ({@link McpGrants}), and names the
 * server in the client's description, which users see in the Account Console. In a transaction of its own: two code
 * exchanges of one user at once would otherwise race on the same row and fail the token request at commit; a lost
 * race only loses a duplicate record.
 */
final class GrantRecord {

    private static final Logger LOG = Logger.getLogger(GrantRecord.class);

    private GrantRecord() {
    }

    static void record(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user, String resource) {
        String realmId = realm.getId();
        String clientId = client.getId();
        String userId = user.getId();
        long now = Time.currentTime();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> {
                McpGrants.of(own).record(clientId, userId, resource, now);
                RealmModel ownRealm = own.realms().getRealm(realmId);
                ClientModel stored = ownRealm.getClientById(clientId);
                ResourceServers.find(ownRealm, resource).map(ResourceServers::displayName).ifPresent(server -> {
                    String description = McpClientDescription.withServer(stored.getDescription(), server);
                    if (!description.equals(stored.getDescription() == null ? "" : stored.getDescription())) {
                        stored.setDescription(description);
                    }
                });
            });
        } catch (RuntimeException e) {
            LOG.debugf(e, "Grant of %s to client %s not recorded", resource, clientId);
        }
    }
}
