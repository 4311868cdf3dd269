package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.Optional;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

import dev.keycloakmcp.registration.RegistrationSettings;

/**
 * What an admin set on the realm's {@code mcp-client-metadata-documents} policy (Clients → Client registration →
 * Anonymous access policies). The policy's presence is what turns Client ID Metadata Documents on for the realm.
 * Read from the realm's components on each use, so every node of a cluster applies the same settings.
 *
 * @param domains      hosts documents are accepted from
 * @param minimumCache shortest time a fetched document is trusted, whatever its Cache-Control says
 * @param maximumCache longest time a fetched document is trusted before it is fetched again
 */
public record DocumentSettings(DomainRules domains, Duration minimumCache, Duration maximumCache) {

    public static final String ALLOWED_DOMAINS = "allowed-domains";
    public static final String DENIED_DOMAINS = "denied-domains";
    public static final String MIN_CACHE_SECONDS = "min-cache-seconds";
    public static final String MAX_CACHE_SECONDS = "max-cache-seconds";

    static final long DEFAULT_MIN_CACHE_SECONDS = 300;
    static final long DEFAULT_MAX_CACHE_SECONDS = 24 * 3600;

    /** The realm's settings, or empty when the realm does not accept metadata documents. */
    public static Optional<DocumentSettings> of(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), ClientRegistrationPolicy.class.getName())
                .filter(component -> MetadataDocumentPolicyFactory.ID.equals(component.getProviderId()))
                .filter(component -> ClientRegistrationPolicyManager.getComponentTypeKey(RegistrationAuth.ANONYMOUS).equals(component.getSubType()))
                .findFirst()
                .map(DocumentSettings::of);
    }

    static DocumentSettings of(ComponentModel component) {
        long minimum = RegistrationSettings.nonNegative(component.get(MIN_CACHE_SECONDS), DEFAULT_MIN_CACHE_SECONDS);
        long maximum = Math.max(minimum, RegistrationSettings.nonNegative(component.get(MAX_CACHE_SECONDS), DEFAULT_MAX_CACHE_SECONDS));
        return new DocumentSettings(new DomainRules(component.getConfig().get(ALLOWED_DOMAINS), component.getConfig().get(DENIED_DOMAINS)),
                Duration.ofSeconds(minimum), Duration.ofSeconds(maximum));
    }
}
