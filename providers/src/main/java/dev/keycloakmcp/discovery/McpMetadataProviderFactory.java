package dev.keycloakmcp.discovery;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.wellknown.WellKnownProvider;
import org.keycloak.wellknown.WellKnownProviderFactory;

/**
 * The factory that takes over one discovery alias from Keycloak (lower priority wins) with {@link McpMetadataProvider}.
 * It answers at both the realm URL and the RFC 8414 root URL, which is where MCP clients look first.
 */
public abstract class McpMetadataProviderFactory implements WellKnownProviderFactory {

    /** Keycloak's own factories for these aliases have priority 100; the lowest priority serves the alias. */
    static final int PRIORITY = 0;

    private final String alias;
    private final String stockProviderId;
    private final boolean rootFormOnlyForMcp;

    protected McpMetadataProviderFactory(String alias, String stockProviderId, boolean rootFormOnlyForMcp) {
        this.alias = alias;
        this.stockProviderId = stockProviderId;
        this.rootFormOnlyForMcp = rootFormOnlyForMcp;
    }

    @Override
    public WellKnownProvider create(KeycloakSession session) {
        return new McpMetadataProvider(session, stockProviderId, rootFormOnlyForMcp);
    }

    @Override
    public String getId() {
        return "mcp-" + alias;
    }

    @Override
    public String getAlias() {
        return alias;
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    @Override
    public boolean isAvailableViaServerMetadata() {
        return true;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
