package dev.keycloakmcp.machine;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.keycloak.models.ClientModel;
import org.keycloak.models.RealmModel;

import dev.keycloakmcp.authorization.ResourceRequest;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceIndicator;
import dev.keycloakmcp.core.ResourceServers;

/**
 * An MCP machine client: a confidential client an admin created ({@link McpClientKind#MACHINE}) that gets tokens for
 * itself, with no user, through the {@code client_credentials} grant. The MCP servers it may call are in client
 * attribute {@value #RESOURCES_ATTRIBUTE} (canonical URLs, {@value #SEPARATOR}-separated as Keycloak's multi-valued
 * attributes are); its scope ceiling is the client scopes assigned to it, which Keycloak never exceeds.
 */
public final class MachineClient {

    public static final String RESOURCES_ATTRIBUTE = "mcp.machine.resources";
    static final String SEPARATOR = "##";

    private MachineClient() {
    }

    public static boolean is(ClientModel client) {
        return McpClientKind.of(client).filter(kind -> kind == McpClientKind.MACHINE).isPresent();
    }

    /** The canonical URLs of the MCP servers the admin allowed the client, as stored. */
    public static List<String> allowedResources(ClientModel client) {
        return parse(client.getAttribute(RESOURCES_ATTRIBUTE));
    }

    static List<String> parse(String attribute) {
        return attribute == null ? List.of()
                : Arrays.stream(attribute.split(SEPARATOR)).map(String::trim).filter(value -> !value.isEmpty()).distinct().toList();
    }

    static String format(Collection<String> resources) {
        return String.join(SEPARATOR, resources);
    }

    /**
     * What a machine client's {@code client_credentials} request may get a token for: the grant on in the realm, then
     * exactly one {@code resource} naming a registered MCP server the client is allowed. The one place the MCP server of
     * such a token is decided.
     *
     * @return the MCP server (its client)
     */
    public static ClientModel serverFor(RealmModel realm, ClientModel client, List<String> resourceValues) throws Refusal {
        if (!McpRealmSettings.of(realm).clientCredentials()) {
            throw Refusal.unauthorizedClient("The client_credentials grant is off for MCP machine clients in this realm");
        }
        String requested = ResourceRequest.single(resourceValues).orElseThrow(() ->
                Refusal.invalidTarget("A machine client must name the MCP server it calls with the resource parameter"));
        ClientModel server = ResourceServers.find(realm, requested).orElseThrow(() ->
                Refusal.invalidTarget("The resource '" + requested + "' is not an MCP server registered in this realm"));
        Optional<String> canonical = ResourceIndicator.canonical(requested);
        boolean allowed = allowedResources(client).stream().map(ResourceIndicator::canonical).anyMatch(canonical::equals);
        if (!allowed) {
            throw Refusal.invalidTarget("This machine client is not allowed the MCP server '" + ResourceServers.resourceOf(server) + "'");
        }
        return server;
    }
}
