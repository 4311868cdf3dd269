package dev.keycloakmcp.cimd;

import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointCheckProvider;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpointChecker;

/** The {@code mcp-metadata-document-refresh} check (Keycloak 26.7): {@link DocumentRefresh} at the authorization endpoint. */
class MetadataDocumentCheck implements AuthorizationEndpointCheckProvider {

    private final DocumentRefresh refresh;

    MetadataDocumentCheck(DocumentRefresh refresh) {
        this.refresh = refresh;
    }

    @Override
    public void check(AuthorizationEndpointChecker checker) {
        refresh.judge(checker.getRealm(), checker.getClient(), checker.getRedirectUri());
    }

    @Override
    public void close() {
    }
}
