package dev.keycloakmcp.sample.onbehalf;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sample server calls its downstream API as the signed-in user (docs/on-behalf-of.md).
 *
 * @param tokenEndpoint  Keycloak's token endpoint, where the MCP token is exchanged (RFC 8693)
 * @param downstreamUrl  the API the {@code downstream_profile} tool calls
 * @param audience       the API's client id in the realm: the {@code audience} asked for, the exchanged token's {@code aud}
 * @param scope          the one scope the tool needs at the API, and all the exchange asks for
 * @param timeout        bound of one exchange or one call of the API
 * @param expiryMargin   an exchanged token is used until this long before it expires, then exchanged again
 * @param cacheSize      how many exchanged tokens (one per user) are kept
 */
public record OnBehalfOfSettings(URI tokenEndpoint, URI downstreamUrl, String audience, String scope, Duration timeout,
        Duration expiryMargin, long cacheSize) {

    public OnBehalfOfSettings {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(downstreamUrl, "downstreamUrl");
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("The downstream API's audience (its client id) is required");
        }
        if (scope == null || scope.isBlank() || scope.contains(" ")) {
            throw new IllegalArgumentException("The downstream scope is one name without spaces, got '" + scope + "'");
        }
    }
}
