package dev.keycloakmcp.resourceserver;

import java.net.URI;
import java.time.Duration;

/**
 * How the server checks a signed access token itself before it asks Keycloak about it.
 *
 * @param jwksUri          the realm's key set to use instead of the issuer metadata's {@code jwks_uri} (a private route
 *                         to Keycloak); {@code null} to use the metadata's
 * @param refetchInterval  shortest time between two fetches of the key set caused by tokens naming a key it lacks:
 *                         Keycloak's rotated keys are picked up within it, and made-up key ids cost Keycloak at most
 *                         one fetch per interval
 * @param clockSkew        how far this host's clock may be off Keycloak's when {@code exp} and {@code nbf} are read
 *                         (introspection decides exactly)
 */
public record SignedTokenSettings(URI jwksUri, Duration refetchInterval, Duration clockSkew) {

    public SignedTokenSettings {
        if (refetchInterval.isZero() || refetchInterval.isNegative() || clockSkew.isNegative()) {
            throw new IllegalArgumentException("The key refetch interval must be positive and the clock skew not negative");
        }
    }

    /** The defaults: the metadata's key set, refetched at most every 10 s for an unknown key id, 30 s clock skew. */
    public static SignedTokenSettings defaults() {
        return new SignedTokenSettings(null, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}
