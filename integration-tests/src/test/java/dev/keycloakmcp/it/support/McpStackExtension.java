package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands the {@link McpStack} to test classes ({@link McpStackTest}): sets their static {@code McpStack} field before
 * their {@code @BeforeAll} methods. It lives in the root store, so the first class that needs it starts it and JUnit
 * closes it once, after the last test of the run (a failsafe execution: one JVM, one Keycloak). After each test class
 * it fails the class if Keycloak answered any of that class's requests with a server error: every input, hostile ones
 * included, must get a 4xx or a success. Errors are counted from the class's start, so one class's 500 is reported
 * by that class and not by every class after it.
 */
public final class McpStackExtension implements BeforeAllCallback, AfterAllCallback {

    /** How many server errors Keycloak had logged when the class began. */
    private static final String ERRORS_BEFORE = "server-errors-before";

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        McpStack stack = stack(context);
        context.getStore(ExtensionContext.Namespace.create(McpStackExtension.class)).put(ERRORS_BEFORE, stack.keycloak.serverErrors().size());
        StaticFields.inject(context.getRequiredTestClass(), McpStack.class, stack);
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
        Integer before = context.getStore(ExtensionContext.Namespace.create(McpStackExtension.class)).get(ERRORS_BEFORE, Integer.class);
        if (stack != null && before != null) {
            List<String> errors = stack.keycloak.serverErrors();
            assertEquals(List.of(), errors.subList(Math.min(before, errors.size()), errors.size()), "Keycloak answered with a server error");
        }
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    }
}
