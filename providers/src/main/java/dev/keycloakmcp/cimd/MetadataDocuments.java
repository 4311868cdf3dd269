package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLSocketFactory;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.truststore.TruststoreProvider;

import dev.keycloakmcp.registration.InvalidRegistration;
import dev.keycloakmcp.registration.RegistrationSettings;
import dev.keycloakmcp.response.KeycloakOrigins;

/**
 * Judges a URL client_id and its document for a realm, in the order that sends nothing anywhere unless it must:
 * the URL's shape, the admin's domains, then the fetch (public addresses, Keycloak's truststore), then what the
 * document says.
 */
final class MetadataDocuments {

    /** A document that can describe a client: its metadata as an MCP client, and how long this copy is trusted. */
    record Accepted(OIDCClientRepresentation metadata, Duration lifetime) {
    }

    private final KeycloakSession session;
    private final MetadataDocumentFetcher.Settings fetchSettings;
    private final FetchWorkers workers;

    MetadataDocuments(KeycloakSession session, MetadataDocumentClientsFactory server) {
        this.session = session;
        this.fetchSettings = server.fetchSettings();
        this.workers = server.workers();
    }

    /** The bookkeeping of {@code url}'s fetches in {@code realm}. */
    DocumentFetches fetches(RealmModel realm, String url) {
        return new DocumentFetches(session, realm, url, fetchSettings.readTimeout());
    }

    ClientIdUrl url(String clientId, DocumentSettings settings) throws DocumentRefused {
        ClientIdUrl.Result parsed = ClientIdUrl.parse(clientId, fetchSettings.allowLoopback());
        if (parsed.url().isEmpty()) {
            throw DocumentRefused.invalid(parsed.refusal());
        }
        ClientIdUrl url = parsed.url().get();
        Optional<String> refusal = settings.domains().refusal(url.host());
        if (refusal.isPresent()) {
            throw DocumentRefused.invalid(refusal.get());
        }
        return url;
    }

    Accepted fetch(RealmModel realm, ClientIdUrl url, DocumentSettings settings) throws DocumentRefused {
        MetadataDocumentFetcher.Fetched fetched = new MetadataDocumentFetcher(fetchSettings, tls(), settings.domains(), workers).fetch(url);
        if (fetched.refusal() != null) {
            throw DocumentRefused.invalid(fetched.refusal());
        }
        try {
            OIDCClientRepresentation metadata = MetadataDocument.read(fetched.document(), url, RegistrationSettings.of(realm),
                    KeycloakOrigins.of(session));
            return new Accepted(metadata, DocumentCaching.lifetime(fetched.cacheControl(), settings.minimumCache(), settings.maximumCache()));
        } catch (InvalidRegistration e) {
            throw DocumentRefused.invalid(e.getMessage());
        }
    }

    /** {@link #fetch}, remembering a refusal for a while (cluster-wide) so that the document is not fetched again at once. */
    Accepted fetchRemembering(RealmModel realm, ClientIdUrl url, DocumentSettings settings, DocumentFetches fetches) throws DocumentRefused {
        try {
            return fetch(realm, url, settings);
        } catch (DocumentRefused refused) {
            fetches.rememberRefusal(refused.getMessage());
            throw refused;
        }
    }

    /** TLS that trusts what Keycloak trusts: its truststore's socket factory (the system's where none is configured). */
    private SSLSocketFactory tls() {
        TruststoreProvider truststore = session.getProvider(TruststoreProvider.class);
        SSLSocketFactory configured = truststore == null ? null : truststore.getSSLSocketFactory();
        return configured != null ? configured : (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
}
