package dev.keycloakmcp.cimd;

import org.keycloak.models.ClientModel;
import org.keycloak.services.clientregistration.ClientRegistrationContext;
import org.keycloak.services.clientregistration.ClientRegistrationProvider;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;

/**
 * The {@code mcp-client-metadata-documents} anonymous registration policy, whose presence turns documents on.
 * Its settings ({@link DocumentSettings}) say from where. Registrations at the registration endpoints are not its
 * business and pass it unchanged.
 */
class MetadataDocumentPolicy implements ClientRegistrationPolicy {

    static final MetadataDocumentPolicy INSTANCE = new MetadataDocumentPolicy();

    @Override
    public void beforeRegister(ClientRegistrationContext context) {
    }

    @Override
    public void afterRegister(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeUpdate(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void afterUpdate(ClientRegistrationContext context, ClientModel clientModel) {
    }

    @Override
    public void beforeView(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public void beforeDelete(ClientRegistrationProvider provider, ClientModel clientModel) {
    }

    @Override
    public void close() {
    }
}
