package dev.keycloakmcp.cimd;

import java.time.Duration;
import java.util.List;

import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.client.ClientStorageProvider;
import org.keycloak.storage.client.ClientStorageProviderFactory;

/**
 * The client storage component {@code mcp-client-metadata-documents} (added to a realm with the
 * {@link MetadataDocumentPolicyFactory policy}, which is what admins see and configure) and the server-wide fetch
 * settings, {@code --spi-client-storage--mcp-client-metadata-documents--<option>}:
 * {@code allow-loopback-documents} (development allowance: documents on this host, http there too; default false),
 * {@code follow-redirects} (default false), {@code connect-timeout-millis} (2000), {@code read-timeout-millis}
 * (whole fetch, 5000), {@code max-document-bytes} (5120).
 */
public class MetadataDocumentClientsFactory implements ClientStorageProviderFactory<MetadataDocumentClients> {

    public static final String ID = "mcp-client-metadata-documents";
    static final String ALLOW_LOOPBACK = "allow-loopback-documents";
    static final String FOLLOW_REDIRECTS = "follow-redirects";
    static final String CONNECT_TIMEOUT = "connect-timeout-millis";
    static final String READ_TIMEOUT = "read-timeout-millis";
    static final String MAX_BYTES = "max-document-bytes";
    static final int DEFAULT_CONNECT_TIMEOUT = 2000;
    static final int DEFAULT_READ_TIMEOUT = 5000;
    static final int DEFAULT_MAX_BYTES = 5120;

    private static final Logger LOG = Logger.getLogger(MetadataDocumentClientsFactory.class);

    private MetadataDocumentFetcher.Settings fetchSettings = new MetadataDocumentFetcher.Settings(
            Duration.ofMillis(DEFAULT_CONNECT_TIMEOUT), Duration.ofMillis(DEFAULT_READ_TIMEOUT), DEFAULT_MAX_BYTES, false, false);

    private FetchWorkers workers;

    @Override
    public MetadataDocumentClients create(KeycloakSession session, ComponentModel model) {
        return new MetadataDocumentClients(session, this);
    }

    @Override
    public void init(Config.Scope config) {
        fetchSettings = new MetadataDocumentFetcher.Settings(
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

    MetadataDocumentFetcher.Settings fetchSettings() {
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

    /** Adds this component to {@code realm} unless it is there: Keycloak asks only a realm's own storage components. */
    static void ensureIn(RealmModel realm) {
        boolean present = realm.getComponentsStream(realm.getId(), ClientStorageProvider.class.getName())
                .anyMatch(component -> ID.equals(component.getProviderId()));
        if (present) {
            return;
        }
        ComponentModel component = new ComponentModel();
        component.setName("MCP client metadata documents");
        component.setProviderId(ID);
        component.setProviderType(ClientStorageProvider.class.getName());
        component.setParentId(realm.getId());
        component.put("enabled", "true");
        realm.addComponentModel(component);
    }

    /** Removes this component from {@code realm}, with the policy that brought it. */
    static void removeFrom(RealmModel realm) {
        realm.getComponentsStream(realm.getId(), ClientStorageProvider.class.getName())
                .filter(component -> ID.equals(component.getProviderId())).toList()
                .forEach(realm::removeComponent);
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
