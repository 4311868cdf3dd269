package dev.keycloakmcp.authorization;

import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import dev.keycloakmcp.core.McpClientDescription;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.ResourceServers;
import dev.keycloakmcp.directory.McpGrants;

/**
 * Records, once a code exchange issued tokens (its {@code CODE_TO_TOKEN} event), that the user granted the MCP client
 * the MCP server the code was for ({@link McpGrants}); a client that came by itself also names the server in its
 * description, which users see in the Account Console (an admin's client keeps the admin's description). The server
 * is the one this request bound its tokens to ({@link AuthorizedResource}), on every Keycloak line. In a transaction
 * of its own: two code exchanges of one user at once would otherwise race on the same row and fail the token request
 * at commit; a lost race only loses a duplicate record.
 */
public final class GrantRecord {

    private static final Logger LOG = Logger.getLogger(GrantRecord.class);

    private GrantRecord() {
    }

    /** After a code exchange by {@code client} for {@code userId} in this request. */
    public static void afterCodeExchange(KeycloakSession session, RealmModel realm, ClientModel client, String userId) {
        List<String> resources = AuthorizedResource.of(session);
        if (userId == null || resources.size() != 1 || !McpClientKind.isMcpClient(client)) {
            return;
        }
        String resource = resources.get(0);
        String realmId = realm.getId();
        String clientId = client.getId();
        boolean describe = McpClientKind.isSelfRegistered(client);
        long now = Time.currentTime();
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), own -> {
                McpGrants.of(own).record(clientId, userId, resource, now);
                if (!describe) {
                    return;
                }
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
