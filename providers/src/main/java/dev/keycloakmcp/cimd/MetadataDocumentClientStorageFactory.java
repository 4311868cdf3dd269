package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.client.ClientStorageProvider;
import org.keycloak.storage.client.ClientStorageProviderFactory;

import dev.keycloakmcp.cimd.fetch.DocumentFetcher;
import dev.keycloakmcp.cimd.fetch.FetchWorkers;
import dev.keycloakmcp.core.McpRealmSetup;

/**
 * The factory of the {@code mcp-client-metadata-documents} client storage component, and the server-wide fetch settings.
 * Admins see and configure the {@link MetadataDocumentPolicyFactory policy}, which adds the component
 * ({@link McpRealmSetup}). The fetch options are {@code --spi-client-storage--mcp-client-metadata-documents--<option>}
 * ({@link #getConfigMetadata}); {@code allow-loopback-documents} is the development allowance.
 */
public class MetadataDocumentClientStorageFactory implements ClientStorageProviderFactory<MetadataDocumentClientStorage> {

    public static final String ID = McpRealmSetup.DOCUMENT_CLIENT_STORAGE;

    /**
     * The server's factory, whose settings (fetch limits, the shared fetch workers) every use of documents shares;
     * null when an admin switched the provider off.
     */
    static MetadataDocumentClientStorageFactory of(KeycloakSessionFactory factory) {
        return (MetadataDocumentClientStorageFactory) factory.getProviderFactory(ClientStorageProvider.class, ID);
    }
    static final String ALLOW_LOOPBACK = "allow-loopback-documents";
    static final String FOLLOW_REDIRECTS = "follow-redirects";
    static final String CONNECT_TIMEOUT = "connect-timeout-millis";
    static final String READ_TIMEOUT = "read-timeout-millis";
    static final String MAX_BYTES = "max-document-bytes";
    static final int DEFAULT_CONNECT_TIMEOUT = 2000;
    static final int DEFAULT_READ_TIMEOUT = 5000;
    static final int DEFAULT_MAX_BYTES = 5120;

    private static final Logger LOG = Logger.getLogger(MetadataDocumentClientStorageFactory.class);

    private DocumentFetcher.Settings fetchSettings = new DocumentFetcher.Settings(
            Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT), Duration.ofMillis(DEFAULT_READ_TIMEOUT), DEFAULT_MAX_BYTES, false, false);

    private FetchWorkers workers;

    @Override
    public MetadataDocumentClientStorage create(KeycloakSession session, ComponentModel model) {
        return new MetadataDocumentClientStorage(session, this);
    }

    @Override
    public void init(Config.Scope config) {
        fetchSettings = new DocumentFetcher.Settings(
                Duration.ofMillis(Math.max(1, config.getInt(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT))),
                Duration.ofMillis(Math.max(1, config.getInt(READ_TIMEOUT, DEFAULT_READ_TIMEOUT))),
                Math.max(1, config.getInt(MAX_BYTES, DEFAULT_MAX_BYTES)),
                config.getBoolean(ALLOW_LOOPBACK, false),
                config.getBoolean(FOLLOW_REDIRECTS, false));
        workers = new FetchWorkers();
        if (fetchSettings.allowLoopback()) {
            LOG.warnf("%s=true: Client ID Metadata Documents may be fetched from this host (development only)", ALLOW_LOOPBACK);
        }
    }

    DocumentFetcher.Settings fetchSettings() {
        return fetchSettings;
    }

    FetchWorkers workers() {
        return workers;
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.close();
        }
    }

    @Override
    public String getHelpText() {
        return "Creates MCP clients from their Client ID Metadata Documents at the authorization endpoint. Added and "
                + "removed with the 'mcp-client-metadata-documents' client registration policy.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(ALLOW_LOOPBACK).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                .helpText("Development only: fetch documents from this host (loopback addresses, and http for localhost URLs).").add()
                .property().name(FOLLOW_REDIRECTS).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                .helpText("Follow up to 3 redirects, to https URLs on public addresses only.").add()
                .property().name(CONNECT_TIMEOUT).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_CONNECT_TIMEOUT)
                .helpText("Milliseconds to connect to a document's host.").add()
                .property().name(READ_TIMEOUT).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_READ_TIMEOUT)
                .helpText("Milliseconds for the whole fetch of a document.").add()
                .property().name(MAX_BYTES).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_MAX_BYTES)
                .helpText("Largest document accepted, in bytes.").add()
                .build();
    }

    @Override
    public String getId() {
        return ID;
    }
}
