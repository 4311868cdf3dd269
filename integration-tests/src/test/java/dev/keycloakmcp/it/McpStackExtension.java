package dev.keycloakmcp.it;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands the {@link McpStack} to test classes. It lives in the root store, so the first class that needs it
 * starts it and JUnit closes it once, after the last test of the run.
 */
public final class McpStackExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == McpStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(McpStack.class, key -> {
                    try {
                        return McpStack.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("Could not start Keycloak and the sample MCP server", e);
                    }
                }, McpStack.class);
    }
}
