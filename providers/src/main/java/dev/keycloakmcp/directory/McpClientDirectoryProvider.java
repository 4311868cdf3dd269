package dev.keycloakmcp.directory;

import java.util.List;

import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Tells Keycloak about the pack's tables: their entities and the Liquibase changelog that creates and migrates it. */
class McpClientDirectoryProvider implements JpaEntityProvider {

    static final String CHANGELOG = "META-INF/keycloak-mcp-changelog.xml";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(McpClientEntry.class, McpGrantEntry.class, McpBlockedClientEntry.class);
    }

    @Override
    public String getChangelogLocation() {
        return CHANGELOG;
    }

    @Override
    public String getFactoryId() {
        return McpClientDirectoryProviderFactory.ID;
    }

    @Override
    public void close() {
    }
}
