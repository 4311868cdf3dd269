package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands the {@link McpStack} to test classes ({@link McpStackTest}): sets their static {@code McpStack} field before
 * their {@code @BeforeAll} methods. It lives in the root store, so the first class that needs it starts it and JUnit
 * closes it once, after the last test of the run. After each test class it fails the class
 * if Keycloak answered any request with a server error: every input, hostile ones included, must get a 4xx or
 * a success.
 */
public final class McpStackExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        StaticFields.inject(context.getRequiredTestClass(), McpStack.class, stack(context));
    }

    private static McpStack stack(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(McpStack.class, key -> {
            try {
                return McpStack.start();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start Keycloak and the sample MCP server", e);
            }
        }, McpStack.class);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        McpStack stack = store(context).get(McpStack.class, McpStack.class);
        if (stack != null) {
            assertEquals(List.of(), stack.keycloak.serverErrors(), "Keycloak answered with a server error");
        }
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    }
}
