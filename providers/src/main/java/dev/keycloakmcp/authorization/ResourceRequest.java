package dev.keycloakmcp.authorization;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.core.ResourceIndicator;
import dev.keycloakmcp.core.ResourceServers;

/**
 * The RFC 8707 rules for the {@code resource} of an MCP client's request, each break an {@code invalid_target} refusal.
 * At most one (a token is for one MCP server), naming an MCP server registered in the realm, and at the token endpoint
 * the one the user authorized.
 */
public final class ResourceRequest {

    private ResourceRequest() {
    }

    /** The one resource among a request's values, if any. */
    public static Optional<String> single(List<String> values) throws Refusal {
        List<String> present = values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
        if (present.size() > 1) {
            throw Refusal.invalidTarget("Only one resource may be requested: a token is for one MCP server");
        }
        return present.stream().findFirst();
    }

    public static void requireRegistered(RealmModel realm, String resource) throws Refusal {
        if (ResourceServers.find(realm, resource).isEmpty()) {
            throw Refusal.invalidTarget("The resource '" + resource + "' is not an MCP server registered in this realm");
        }
    }

    /** A token request may repeat an authorized resource (in any spelling of the same URL), never name another. */
    public static void requireAuthorized(String requested, Collection<String> authorized, String description) throws Refusal {
        Optional<String> canonical = ResourceIndicator.canonical(requested);
        if (canonical.isEmpty() || authorized.stream().map(ResourceIndicator::canonical).noneMatch(canonical::equals)) {
            throw Refusal.invalidTarget(description);
        }
    }
}
