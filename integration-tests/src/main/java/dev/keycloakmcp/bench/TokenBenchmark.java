package dev.keycloakmcp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.keycloakmcp.it.support.KeycloakDistribution;

/**
 * {@code ./mvnw -Pbench}: throughput of the token endpoint (code exchange, refresh) and of registration on the
 * same Keycloak distribution with the pack and without it (stock flow, same realm shape), both in dev mode
 * ({@code start-dev}, embedded database), measured side by side by {@link TokenEndpointComparison}.
 */
public final class TokenBenchmark {

    private TokenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path packHome = Path.of(System.getProperty("keycloak.home"));
        Path stockHome = Path.of(System.getProperty("keycloak.stock.home"));
        Path work = packHome.getParent().getParent().resolve("bench");
        TokenEndpointComparison.RealmFiles realms = TokenEndpointComparison.RealmFiles.write(Path.of(System.getProperty("realm.file")), work);
        Path noPack = Files.createDirectories(work.resolve("no-pack"));

        System.out.println("Starting Keycloak with the pack and Keycloak without it ...");
        try (KeycloakDistribution pack = KeycloakDistribution.start(packHome, Path.of(System.getProperty("keycloak.pack.dir")), realms.pack(),
                KeycloakDistribution.freePort(), KeycloakDistribution.freePort(), TokenEndpointComparison.profiling("pack"), List.of(),
                work.resolve("keycloak-pack.log"));
                KeycloakDistribution stock = KeycloakDistribution.start(stockHome, noPack, realms.stock(), KeycloakDistribution.freePort(),
                        KeycloakDistribution.freePort(), TokenEndpointComparison.profiling("stock"), List.of(), work.resolve("keycloak-stock.log"))) {
            TokenEndpointComparison.run(TokenEndpointComparison.Server.pack(pack.issuer("mcp")),
                    TokenEndpointComparison.Server.stock(stock.issuer("mcp")));
        }
    }
}
