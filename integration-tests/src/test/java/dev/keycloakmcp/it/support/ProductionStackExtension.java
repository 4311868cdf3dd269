package dev.keycloakmcp.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands the {@link ProductionDeployment} to test classes ({@link ProductionStackTest}), in their static
 * {@code ProductionDeployment} field: started by the first class that needs it, closed once after
 * the last test of the run. Before each class both nodes are up in one cluster (a class that killed one brings it
 * back, but a failed one may not have); after each class, no node may have answered a request with a server error.
 */
public final class ProductionStackExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ProductionDeployment deployment = deployment(context);
        StaticFields.inject(context.getRequiredTestClass(), ProductionDeployment.class, deployment);
        deployment.stack.restoreCluster();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ProductionDeployment deployment = store(context).get(ProductionDeployment.class, ProductionDeployment.class);
        if (deployment != null) {
            assertEquals(List.of(), deployment.stack.serverErrors(), "A Keycloak node answered with a server error");
        }
    }

    private static ProductionDeployment deployment(ExtensionContext context) {
        return store(context).getOrComputeIfAbsent(ProductionDeployment.class, key -> {
            try {
                return ProductionDeployment.start(Path.of(System.getProperty("keycloak.home")).getParent().getParent());
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the production-shape stack", e);
            }
        }, ProductionDeployment.class);
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
    }
}
