package dev.keycloakmcp.demo;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.keycloakmcp.it.support.ProductionStack;

/**
 * {@code ./mvnw -Pproduction-demo}: the production-shape stack the tests use (PostgreSQL, two clustered nodes in
 * production mode, nginx ending TLS, the sample MCP server behind it), on free ports, until Ctrl-C. Its certificate
 * is made for the run: MCP clients must be told to trust it.
 */
public final class ProductionDemo {

    private ProductionDemo() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Starting the production-shape stack (about 2 minutes) ...");
        ProductionStack stack = ProductionStack.start(ProductionStack.Settings.fromSystemProperties(3600, List.of()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the production-shape stack ...");
            stack.close();
            stopped.countDown();
        }, "keycloak-mcp-production-demo-shutdown"));
        String certificate = stack.certificate().certificatePem().toString();
        System.out.println("""

                keycloak-mcp production-shape stack is ready.

                  MCP server:  %s
                  Issuer:      %s  (nginx, alternating %s)
                  Certificate: %s  (self-signed for this run)
                  mcp-remote:  NODE_EXTRA_CA_CERTS=%s npx mcp-remote@0.15.1 %s

                  Sign in as alice / alice; Keycloak admin: admin / admin (demo-only credentials).
                  Logs: %s

                Press Ctrl-C to stop.
                """.formatted(stack.mcpUrl(), stack.issuer(),
                String.join(" and ", stack.nodes().stream().map(node -> node.name() + " " + node.httpUrl()).toList()),
                certificate, certificate, stack.mcpUrl(), stack.settings().dir()));
        stopped.await();
    }
}
