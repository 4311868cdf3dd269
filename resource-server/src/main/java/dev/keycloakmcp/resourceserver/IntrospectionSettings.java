package dev.keycloakmcp.resourceserver;

import java.net.URI;
import java.time.Duration;

/**
 * How the server asks Keycloak about tokens and how long it may trust an answer.
 *
 * @param endpoint         introspection endpoint to call instead of the one in the issuer's metadata (a private route
 *                         to Keycloak); {@code null} to use the metadata's
 * @param connectTimeout   bound on opening a connection to Keycloak
 * @param timeout          bound on a whole introspection; past it the request gets 503
 * @param cacheMaxAge      longest an active answer is trusted (never past the token's {@code exp}); zero turns the cache
 *                         off and every request is introspected
 * @param inactiveMaxAge   how long a refused token stays refused without asking again
 * @param cacheSize        most answers kept in memory
 * @param maxConcurrent    most introspections in flight; past it a request that needs one gets 503 at once, so that
 *                         a slow Keycloak and made-up tokens cannot tie up every request thread
 */
public record IntrospectionSettings(URI endpoint, Duration connectTimeout, Duration timeout, Duration cacheMaxAge,
        Duration inactiveMaxAge, long cacheSize, int maxConcurrent) {

    public IntrospectionSettings {
        if (connectTimeout.isZero() || connectTimeout.isNegative() || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("Introspection timeouts must be positive");
        }
        if (cacheMaxAge.isNegative() || inactiveMaxAge.isNegative() || cacheSize < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("Token cache ages must not be negative, its size and the introspection limit must be positive");
        }
    }

    /**
     * The defaults: Keycloak's metadata endpoint, 2 s to connect, 5 s per introspection, active answers trusted 30 s,
     * refused ones 5 s, 10,000 answers kept, 32 introspections in flight.
     */
    public static IntrospectionSettings defaults() {
        return new IntrospectionSettings(null, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(5),
                10_000, 32);
    }

    /** Whether answers are cached at all (a zero {@code cacheMaxAge} introspects every request). */
    public boolean cached() {
        return !cacheMaxAge.isZero();
    }
}
