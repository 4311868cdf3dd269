package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.admin.client.resource.UsersResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

import dev.keycloakmcp.it.pages.AuthorizationUrlSignIn;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.InstallScript;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.RunningKeycloak;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.NodeClientProcess;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;
import dev.keycloakmcp.it.support.PinnedClients;
import dev.keycloakmcp.it.support.StdioMcpHost;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * Real MCP clients, pinned from npm (integration-tests/clients), against the test Keycloak end to end: each prints an
 * authorization URL, the user signs in on Keycloak's pages, the redirect reaches the client's loopback listener, and
 * the client calls the sample server's {@code whoami} tool. On the demo realm {@code mcp}, and on a realm
 * {@code tools} that existed before MCP and got it from {@code realm-config/add-mcp-to-realm.sh} with its defaults.
 */
@McpStackTest
class RealClientsIT {

    static final String INSTALLED_REALM = "tools";
    /** Node's start, registration and discovery on a loaded 2-core machine; the clients print the URL long before. */
    static final Duration CLIENT_WAIT = Duration.ofMinutes(2);

    /** A realm the clients sign in to: its MCP server and a user of it. */
    record ClientRealm(String name, String issuer, String mcpUrl, String username, String password) {
    }

    private static final Map<String, ClientRealm> realms = new TreeMap<>();
    private static McpStack stack;
    private static PinnedClients clients;
    private static McpSampleServer installedRealmServer;

    @BeforeAll
    static void realms() throws Exception {
        clients = PinnedClients.installed();
        realms.put(McpStack.REALM, new ClientRealm(McpStack.REALM, stack.issuer(), stack.mcpUrl(), "alice", "alice"));
        realms.put(INSTALLED_REALM, installedRealm());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (installedRealmServer != null) {
            installedRealmServer.close();
        }
    }

    /** A bare realm, MCP added by the install script with its defaults, a user created as admins create users. */
    private static ClientRealm installedRealm() throws Exception {
        stack.admin.createRealm(Map.of("realm", INSTALLED_REALM, "enabled", true));
        int port = KeycloakDistribution.freePort();
        String resource = "http://localhost:" + port + "/mcp";
        // No secret given: the script has Keycloak generate one and writes it to a file.
        String secret = InstallScript.run(stack.keycloak, INSTALLED_REALM, resource, Map.of()).generatedSecret();

        UsersResource users = stack.admin.realm(INSTALLED_REALM).users();
        UserRepresentation bob = new UserRepresentation();
        bob.setUsername("bob");
        bob.setEnabled(true);
        bob.setEmail("bob@tools.example");
        bob.setEmailVerified(true);
        bob.setFirstName("Bob");
        bob.setLastName("Tools");
        try (Response created = users.create(bob)) {
            assertEquals(201, created.getStatus());
        }
        String id = users.search("bob", true).get(0).getId();
        CredentialRepresentation password = new CredentialRepresentation();
        password.setType(CredentialRepresentation.PASSWORD);
        password.setValue("bob");
        password.setTemporary(false);
        // 204, or the admin client throws.
        users.get(id).resetPassword(password);

        installedRealmServer = McpSampleServer.start(SampleServerConfig.fromEnvironment(new String[0], Map.of(
                "MCP_ISSUER", stack.keycloak.issuer(INSTALLED_REALM), "MCP_RESOURCE", resource, "MCP_PORT", String.valueOf(port),
                "MCP_HOST", "localhost", "MCP_CLIENT_SECRET", secret)));
        return new ClientRealm(INSTALLED_REALM, stack.keycloak.issuer(INSTALLED_REALM), resource, "bob", "bob");
    }

    @Compat
    @ParameterizedTest(name = "realm {0}")
    @ValueSource(strings = {McpStack.REALM, INSTALLED_REALM})
    void mcpRemoteWithItsDefaultsSignsInAndCallsATool(String realmName) throws Exception {
        ClientRealm realm = realms.get(realmName);
        int callbackPort = KeycloakDistribution.freePort();
        String version = clients.version("mcp-remote");
        // Its defaults: dynamic registration, the scope from the server's challenge plus offline_access, its own listener.
        Path configDir = clients.stateDirectory("mcp-remote");
        try (NodeClientProcess client = NodeClientProcess.start("mcp-remote " + version, clients.node(), clients.mcpRemote(),
                List.of(realm.mcpUrl(), String.valueOf(callbackPort)), Map.of("MCP_REMOTE_CONFIG_DIR", configDir.toString()))) {
            client.showingOutputOnFailure(() -> {
                String url = client.awaitUrlAfter(Output.STDERR, "Please authorize this client by visiting:", CLIENT_WAIT);
                assertTrue(url.startsWith(realm.issuer() + "/protocol/openid-connect/auth?"), url);
                URI redirect = AuthorizationUrlSignIn.signIn(url, realm.username(), realm.password());
                assertEquals("http://localhost:" + callbackPort + "/oauth/callback", withoutQuery(redirect));
                AuthorizationUrlSignIn.deliver(redirect);

                // The stdio side, as an MCP host talks to mcp-remote.
                assertEquals(realm.username(), StdioMcpHost.whoami(client, "RealClientsIT", CLIENT_WAIT));
                log("mcp-remote " + version, realm, client.sinceStart());

                // What it asked for and stored: offline_access, granted (both realms' users hold the default roles).
                assertTrue(url.contains("offline_access"), url);
                Map<String, Object> stored = storedTokens(configDir);
                assertTrue(String.valueOf(stored.get("scope")).contains("offline_access"), () -> "stored: " + stored.keySet() + " " + stored.get("scope"));
                assertEquals("Offline", AccessTokens.claims((String) stored.get("refresh_token")).get("typ"));
            });
        }
    }

    @ParameterizedTest(name = "realm {0}")
    @ValueSource(strings = {McpStack.REALM, INSTALLED_REALM})
    void inspectorCliSignsInAndCallsATool(String realmName) throws Exception {
        ClientRealm realm = realms.get(realmName);
        int callbackPort = KeycloakDistribution.freePort();
        String version = clients.version("@modelcontextprotocol/inspector");
        Path home = clients.stateDirectory("mcp-inspector");
        // Its own state in a fresh home; secrets in memory (no desktop keyring here); MCP_AUTO_OPEN_ENABLED=true is
        // how it allows interactive OAuth without a terminal. Its default callback is http://127.0.0.1:6276/oauth/callback:
        // the test takes a free port instead, as --callback-url allows.
        String callback = "http://127.0.0.1:" + callbackPort + "/oauth/callback";
        try (NodeClientProcess client = NodeClientProcess.start("MCP Inspector CLI " + version, clients.node(), clients.inspector(),
                List.of("--cli", realm.mcpUrl(), "--method", "tools/call", "--tool-name", "whoami", "--callback-url", callback),
                Map.of("HOME", home.toString(), "MCP_STORAGE_DIR", home.toString(), "MCP_INSPECTOR_SECRET_STORE", "memory",
                        "MCP_AUTO_OPEN_ENABLED", "true"))) {
            client.showingOutputOnFailure(() -> {
                String url = client.awaitUrlAfter(Output.STDERR, "Please navigate to:", CLIENT_WAIT);
                assertTrue(url.startsWith(realm.issuer() + "/protocol/openid-connect/auth?"), url);
                URI redirect = AuthorizationUrlSignIn.signIn(url, realm.username(), realm.password());
                assertEquals(callback, withoutQuery(redirect));
                AuthorizationUrlSignIn.deliver(redirect);

                assertEquals(0, client.awaitExit(CLIENT_WAIT), "exit code");
                Map<String, Object> result = Json.object(client.stdout());
                assertEquals(realm.username(), StdioMcpHost.toolText(result), () -> "tools/call whoami: " + result);
                log("MCP Inspector CLI " + version, realm, client.sinceStart());
            });
        }
    }

    @ParameterizedTest(name = "realm {0}, resource parameter {1}")
    @CsvSource({McpStack.REALM + ",false", McpStack.REALM + ",true", INSTALLED_REALM + ",false", INSTALLED_REALM + ",true"})
    void conformanceSuitePassesEveryServerScenario(String realmName, boolean withResource) throws Exception {
        ClientRealm realm = realms.get(realmName);
        int port = KeycloakDistribution.freePort();
        // Registered as an MCP client registers, at the registration endpoint the metadata names.
        Map<String, Object> metadata = Json.object(new Http().get(RunningKeycloak.metadataUrl(stack.keycloak, realm.name())).body());
        Map<String, Object> registration = McpOAuthClient.typicalRegistration("MCP conformance suite");
        registration.put("redirect_uris", List.of("http://127.0.0.1:" + port + "/callback"));
        String clientId = McpOAuthClient.register(metadata, registration).clientId;

        Path results = clients.stateDirectory("conformance");
        List<String> arguments = new java.util.ArrayList<>(List.of("authorization", "--url", realm.issuer(), "--client-id", clientId,
                "-p", String.valueOf(port), "-o", results.toString()));
        if (withResource) {
            arguments.addAll(List.of("--resource", realm.mcpUrl()));
        }
        String version = clients.version("@modelcontextprotocol/conformance");
        try (NodeClientProcess suite = NodeClientProcess.start("conformance " + version, clients.node(), clients.conformance(), arguments, Map.of())) {
            suite.showingOutputOnFailure(() -> {
                String url = suite.awaitUrlAfter(Output.STDOUT, "Access the following URL in your browser", CLIENT_WAIT);
                URI redirect = AuthorizationUrlSignIn.signIn(url, realm.username(), realm.password());
                suite.awaitLine(Output.STDOUT, "that its callback listens", CLIENT_WAIT,
                        line -> line.startsWith("Callback server started:") ? Optional.of(line) : Optional.empty());
                AuthorizationUrlSignIn.deliver(redirect);
                int exit = suite.awaitExit(CLIENT_WAIT);

                Map<String, List<Map<String, Object>>> checks = checksByScenario(results);
                assertEquals(List.of("authorization-code-grant", "authorization-server-metadata-endpoint"), List.copyOf(checks.keySet()));
                String notPassed = checks.entrySet().stream().flatMap(scenario -> scenario.getValue().stream()
                                .filter(check -> !"SUCCESS".equals(check.get("status")))
                                .map(check -> scenario.getKey() + ": " + check.get("id") + " " + check.get("status") + " " + check.get("errorMessage")))
                        .collect(Collectors.joining("\n"));
                assertEquals("", notPassed, "checks that did not pass");
                checks.forEach((scenario, list) -> assertTrue(!list.isEmpty(), scenario + " has no checks"));
                assertEquals(0, exit, "exit code");
                if (withResource) {
                    Map<?, ?> grant = (Map<?, ?>) checks.get("authorization-code-grant").get(0).get("details");
                    assertTrue(String.valueOf(grant.get("authorizationRequest")).contains("&resource="), () -> "sent no resource: " + grant);
                }
            });
        }
    }

    /** The suite's result files: {@code <dir>/authorization-server-<scenario>-<timestamp>/checks.json}. */
    private static Map<String, List<Map<String, Object>>> checksByScenario(Path results) throws IOException {
        Map<String, List<Map<String, Object>>> checks = new TreeMap<>();
        try (Stream<Path> files = Files.walk(results)) {
            for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).toList()) {
                String scenario = file.getParent().getFileName().toString()
                        .replaceFirst("^authorization-server-", "").replaceFirst("-\\d{4}-\\d{2}-\\d{2}T[\\d-]+Z$", "");
                checks.put(scenario, Json.array(Files.readString(file)));
            }
        }
        return checks;
    }

    private static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    /** The tokens mcp-remote keeps in its config folder ({@code <version>/<hash>_tokens.json}). */
    private static Map<String, Object> storedTokens(Path configDir) throws IOException {
        try (Stream<Path> files = Files.walk(configDir)) {
            Path tokens = files.filter(file -> file.getFileName().toString().endsWith("_tokens.json")).findFirst()
                    .orElseThrow(() -> new AssertionError("mcp-remote stored no tokens under " + configDir));
            return Json.object(Files.readString(tokens));
        }
    }

    private static void log(String client, ClientRealm realm, Duration handshake) {
        System.out.printf("[RealClientsIT] %s, realm %s: spawn to whoami answer in %d ms%n", client, realm.name(), handshake.toMillis());
    }
}
