package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.Optional;

import org.keycloak.models.RealmModel;

import dev.keycloakmcp.core.AnonymousPolicy;
import dev.keycloakmcp.core.McpRealmSetup;

/**
 * The realm's settings for Client ID Metadata Documents, from its {@code mcp-client-metadata-documents} policy.
 * Read on each use ({@link AnonymousPolicy}); without the policy the realm accepts no documents.
 *
 * @param domains      hosts documents are accepted from
 * @param minimumCache shortest time a fetched document is trusted, whatever its Cache-Control says
 * @param maximumCache longest time a fetched document is trusted before it is fetched again
 * @param maxClientsPerHost cap on the realm's clients from documents one host publishes (0 = no cap)
 * @param revokedBlock how long a document client an admin revoked may not come back
 */
record DocumentSettings(DomainRules domains, Duration minimumCache, Duration maximumCache, int maxClientsPerHost, Duration revokedBlock) {

    static final String ALLOWED_DOMAINS = "allowed-domains";
    static final String DENIED_DOMAINS = "denied-domains";
    static final String MIN_CACHE_SECONDS = "min-cache-seconds";
    static final String MAX_CACHE_SECONDS = "max-cache-seconds";
    static final String MAX_CLIENTS_PER_HOST = "max-clients-per-host";
    static final String REVOKED_BLOCK_SECONDS = "revoked-block-seconds";

    static final long DEFAULT_MIN_CACHE_SECONDS = 300;
    static final long DEFAULT_MAX_CACHE_SECONDS = 24 * 3600;
    /** Real MCP clients publish one document each; a host with more is varying paths (keycloak/keycloak#50532). */
    static final long DEFAULT_MAX_CLIENTS_PER_HOST = 20;
    /** Long enough that a revoked client's users notice and an admin can block its host for good if needed. */
    static final long DEFAULT_REVOKED_BLOCK_SECONDS = 30L * 24 * 3600;

    /** The realm's settings, or empty when the realm does not accept metadata documents. */
    static Optional<DocumentSettings> of(RealmModel realm) {
        return AnonymousPolicy.of(realm, McpRealmSetup.DOCUMENT_POLICY).map(DocumentSettings::of);
    }

    static DocumentSettings of(AnonymousPolicy policy) {
        long minimum = policy.wholeNumber(MIN_CACHE_SECONDS, DEFAULT_MIN_CACHE_SECONDS);
        long maximum = Math.max(minimum, policy.wholeNumber(MAX_CACHE_SECONDS, DEFAULT_MAX_CACHE_SECONDS));
        return new DocumentSettings(new DomainRules(policy.list(ALLOWED_DOMAINS), policy.list(DENIED_DOMAINS)),
                Duration.ofSeconds(minimum), Duration.ofSeconds(maximum),
                (int) Math.min(Integer.MAX_VALUE, policy.wholeNumber(MAX_CLIENTS_PER_HOST, DEFAULT_MAX_CLIENTS_PER_HOST)),
                Duration.ofSeconds(policy.wholeNumber(REVOKED_BLOCK_SECONDS, DEFAULT_REVOKED_BLOCK_SECONDS)));
    }
}
