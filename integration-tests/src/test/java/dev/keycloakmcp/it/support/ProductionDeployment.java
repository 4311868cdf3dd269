package dev.keycloakmcp.it.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the production-shape tests run against: the {@link ProductionStack} (PostgreSQL, two clustered nodes in
 * production mode, nginx, the sample MCP server) and a server of metadata documents the nodes trust.
 */
public final class ProductionDeployment implements ExtensionContext.Store.CloseableResource {

    /** The reaper looks for unused clients this often here, so that its test can count its runs. */
    public static final int REAPER_INTERVAL_SECONDS = 4;
    /** How long a node waits for a metadata document here. */
    static final int DOCUMENT_TIMEOUT_MILLIS = 4000;

    public final ProductionStack stack;
    public final DocumentServer documents;
    /** The admin API through the proxy, signed in as Keycloak's bootstrap admin. */
    public final RealmAdmin admin;

    private ProductionDeployment(ProductionStack stack, DocumentServer documents) {
        this.stack = stack;
        this.documents = documents;
        this.admin = new RealmAdmin(stack);
    }

    static ProductionDeployment start(Path target) throws Exception {
        DocumentServer documents = DocumentServer.start(target.resolve("prodstack-documents"));
        try {
            ProductionStack stack = ProductionStack.start(ProductionStack.Settings.fromSystemProperties(REAPER_INTERVAL_SECONDS, List.of(
                    "--truststore-paths=" + documents.certificate(), SpiOption.LOOPBACK_DOCUMENTS.withValue(true),
                    SpiOption.DOCUMENT_READ_TIMEOUT.withValue(DOCUMENT_TIMEOUT_MILLIS))));
            try {
                ProductionDeployment deployment = new ProductionDeployment(stack, documents);
                // Tests register many clients from one address: the limit is off except in its own test.
                deployment.admin.setRegistrationPolicy("registrations-per-minute", "0");
                deployment.admin.setRegistrationPolicy("mcp-client-metadata-documents", "max-clients-per-host", List.of("0"));
                return deployment;
            } catch (RuntimeException | Error e) {
                stack.close();
                throw e;
            }
        } catch (Exception | Error e) {
            documents.close();
            throw e;
        }
    }

    /** Where MCP clients find the authorization server metadata (RFC 8414, through the proxy). */
    public String metadataUrl() {
        return stack.baseUrl() + "/.well-known/oauth-authorization-server/realms/" + ProductionStack.REALM;
    }

    public Map<String, Object> metadata() {
        return Json.object(new Http().get(metadataUrl()).body());
    }

    public String issuer() {
        return stack.issuer();
    }

    public String mcpUrl() {
        return stack.mcpUrl();
    }

    @Override
    public void close() {
        try {
            admin.close();
            stack.close();
        } finally {
            documents.close();
        }
    }
}
