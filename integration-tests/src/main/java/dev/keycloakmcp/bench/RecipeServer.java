package dev.keycloakmcp.bench;

import java.util.concurrent.CountDownLatch;

import dev.keycloakmcp.recipes.PlainServletRecipe;

/**
 * {@link PlainServletRecipe} as a process of its own, for {@link LibraryOverheadBenchmark}: configured by the same
 * environment variables as the sample server ({@code MCP_ISSUER}, {@code MCP_RESOURCE}, {@code MCP_CLIENT_SECRET},
 * {@code MCP_PORT}), so that every server of the benchmark is started alike. Runs until the process is stopped.
 */
public final class RecipeServer {

    private RecipeServer() {
    }

    public static void main(String[] args) throws Exception {
        PlainServletRecipe recipe = PlainServletRecipe.start(required("MCP_ISSUER"), required("MCP_RESOURCE"), required("MCP_CLIENT_SECRET"),
                Integer.parseInt(required("MCP_PORT")));
        System.out.println("Plain-servlet recipe listening on port " + recipe.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                recipe.close();
            } catch (Exception e) {
                System.err.println("Error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    private static String required(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(variable + " is not set");
        }
        return value;
    }
}
