package dev.keycloakmcp.cimd;

import java.util.List;
import java.util.regex.Pattern;

import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.clientregistration.policy.AbstractClientRegistrationPolicyFactory;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

import dev.keycloakmcp.core.AnonymousPolicy;
import dev.keycloakmcp.core.McpRealmSetup;

/**
 * The factory of the {@code mcp-client-metadata-documents} policy, the switch for Client ID Metadata Documents.
 * Only an anonymous one counts. Adding it adds the client storage component that does the work
 * ({@link MetadataDocumentClientStorageFactory}), removing the last removes that too; realms imported with the policy
 * get the component from {@link McpRealmSetup}.
 */
public class MetadataDocumentPolicyFactory extends AbstractClientRegistrationPolicyFactory {

    public static final String ID = McpRealmSetup.DOCUMENT_POLICY;
    /** A host name (IDN in its ASCII form), optionally with a leading "*." or ".". */
    static final Pattern DOMAIN = Pattern.compile("(\\*\\.|\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(DocumentSettings.ALLOWED_DOMAINS)
            .label("Allowed document domains")
            .helpText("Only documents from these domains (and their subdomains) are accepted, e.g. claude.ai, vscode.dev, "
                    + "chatgpt.com. Empty: any public https host.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(DocumentSettings.DENIED_DOMAINS)
            .label("Denied document domains")
            .helpText("Documents from these domains (and their subdomains) are refused, whatever the allowed domains say.")
            .type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
            .add()
            .property()
            .name(DocumentSettings.MIN_CACHE_SECONDS)
            .label("Minimum document lifetime (seconds)")
            .helpText("A fetched document is trusted at least this long, even if its Cache-Control asks for less.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(DocumentSettings.DEFAULT_MIN_CACHE_SECONDS))
            .add()
            .property()
            .name(DocumentSettings.MAX_CACHE_SECONDS)
            .label("Maximum document lifetime (seconds)")
            .helpText("A fetched document is fetched again at the first authorization after this long, even if its "
                    + "Cache-Control allows more.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(DocumentSettings.DEFAULT_MAX_CACHE_SECONDS))
            .add()
            .property()
            .name(DocumentSettings.MAX_CLIENTS_PER_HOST)
            .label("Maximum clients per document host")
            .helpText("At most this many clients are made from documents one host publishes (each document URL makes one "
                    + "client; real MCP clients publish one). Past it, new document URLs of that host are refused and the "
                    + "refusal is recorded as a CLIENT_REGISTER_ERROR event with error mcp_host_cap_reached. 0: no cap.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(DocumentSettings.DEFAULT_MAX_CLIENTS_PER_HOST))
            .add()
            .property()
            .name(DocumentSettings.REVOKED_BLOCK_SECONDS)
            .label("Block after revocation (seconds)")
            .helpText("When an admin revokes a metadata-document client (MCP access page or admin API), its document URL "
                    + "cannot become a client again for this long; the refusal is recorded with error mcp_client_revoked. "
                    + "Default 30 days. Blocking the host (denied domains) is for good.")
            .type(ProviderConfigProperty.STRING_TYPE)
            .defaultValue(String.valueOf(DocumentSettings.DEFAULT_REVOKED_BLOCK_SECONDS))
            .add()
            .build();

    @Override
    public ClientRegistrationPolicy create(KeycloakSession session, ComponentModel model) {
        return MetadataDocumentPolicy.INSTANCE;
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        for (String key : List.of(DocumentSettings.ALLOWED_DOMAINS, DocumentSettings.DENIED_DOMAINS)) {
            List<String> domains = model.getConfig().get(key);
            for (String domain : domains == null ? List.<String>of() : domains) {
                if (domain != null && !domain.isBlank() && !DOMAIN.matcher(domain.trim()).matches()) {
                    throw new ComponentValidationException("Not a domain name: " + domain + " (write example.com, without scheme or path)");
                }
            }
        }
        for (String key : List.of(DocumentSettings.MIN_CACHE_SECONDS, DocumentSettings.MAX_CACHE_SECONDS, DocumentSettings.MAX_CLIENTS_PER_HOST,
                DocumentSettings.REVOKED_BLOCK_SECONDS)) {
            String value = model.get(key);
            if (value != null && !value.isBlank() && !value.trim().matches("\\d{1,9}")) {
                throw new ComponentValidationException(key + " must be a whole number");
            }
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        if (AnonymousPolicy.isAnonymous(model)) {
            McpRealmSetup.addDocumentClientStorage(realm);
        }
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        boolean another = realm.getComponentsStream(realm.getId(), ClientRegistrationPolicy.class.getName())
                .anyMatch(other -> ID.equals(other.getProviderId()) && AnonymousPolicy.isAnonymous(other) && !other.getId().equals(model.getId()));
        if (AnonymousPolicy.isAnonymous(model) && !another) {
            McpRealmSetup.removeDocumentClientStorage(realm);
        }
    }

    @Override
    public String getHelpText() {
        return "Lets MCP clients (Claude, VS Code, ChatGPT…) identify themselves with the https URL of their Client ID "
                + "Metadata Document instead of registering: the document is fetched (public addresses only), checked and "
                + "turned into a public, PKCE, consent-required MCP client at its first authorization request.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public String getId() {
        return ID;
    }
}
