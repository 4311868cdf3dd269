package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keycloak.representations.idm.ClientRepresentation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.McpToolCalls;
import dev.keycloakmcp.it.support.NodeClientProcess;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;
import dev.keycloakmcp.it.support.PinnedClients;
import dev.keycloakmcp.it.support.RealmAdmin;
import dev.keycloakmcp.it.support.StdioMcpHost;

/**
 * Client credentials for MCP machine clients (CI jobs, agents without a browser): the demo realm's demo-agent through
 * mcp-remote {@code --client-credentials}; machine clients an admin creates through the MCP admin API, used by the
 * official TypeScript SDK's {@code PrivateKeyJwtProvider} and {@code ClientCredentialsProvider}; the token bound to
 * one allowed MCP server, never more than the scope ceiling; and the refusals (clear OAuth errors, never a 5xx).
 */
@Compat
@McpStackTest
class ClientCredentialsIT {

    private static final Duration CLIENT_WAIT = Duration.ofMinutes(2);
    private static final String DEMO_AGENT = "demo-agent";
    private static final String DEMO_SECRET = "demo-only-agent-secret";
    private static final String OTHER_SERVER = "https://cc-other.example.com/mcp";

    private static McpStack stack;
    private static RealmAdmin admin;
    private static String tokenEndpoint;
    private static String machineClients;

    @BeforeAll
    static void switchOn() {
        admin = stack.admin;
        // The demo realm has it on; the suite turns it off for the tests of other capabilities.
        admin.setRegistrationPolicy("client-credentials", "true");
        tokenEndpoint = stack.issuer() + "/protocol/openid-connect/token";
        machineClients = stack.keycloak.baseUrl() + "/admin/realms/mcp/mcp/machine-clients";
        admin.registerMcpServer(OTHER_SERVER);
    }

    @AfterAll
    static void switchOff() {
        admin.setRegistrationPolicy("client-credentials", "false");
    }

    // ---- the demo realm's machine client ------------------------------------------------------------------

    @Test
    void demoAgentThroughMcpRemote() throws Exception {
        PinnedClients clients = PinnedClients.installed();
        String info = Json.write(Map.of("client_id", DEMO_AGENT, "client_secret", DEMO_SECRET));
        try (NodeClientProcess proxy = NodeClientProcess.start("mcp-remote " + clients.version("mcp-remote"), clients.node(),
                clients.mcpRemote(), List.of(stack.mcpUrl(), String.valueOf(KeycloakDistribution.freePort()), "--client-credentials",
                        "--static-oauth-client-info", info),
                Map.of("MCP_REMOTE_CONFIG_DIR", clients.stateDirectory("mcp-remote-cc").toString()))) {
            proxy.showingOutputOnFailure(() -> assertEquals("demo-agent (machine client, no user)",
                    StdioMcpHost.whoami(proxy, "ClientCredentialsIT", CLIENT_WAIT)));
        }
    }

    @Test
    void theTokenIsTheMachineClientsOwnForOneServer() {
        HttpResponse<String> response = tokenRequest(DEMO_AGENT, DEMO_SECRET, Map.of("grant_type", "client_credentials",
                "resource", stack.mcpUrl(), "scope", "mcp:tools"));
        assertEquals(200, response.statusCode(), response.body());
        Map<String, Object> tokens = Json.object(response.body());
        assertNull(tokens.get("refresh_token"), "no refresh token: a machine client asks again");
        String accessToken = (String) tokens.get("access_token");
        Map<String, Object> claims = AccessTokens.claims(accessToken);
        assertTrue(AccessTokens.audience(accessToken).contains(stack.mcpUrl()), claims::toString);
        assertFalse(AccessTokens.audience(accessToken).contains(OTHER_SERVER), claims::toString);
        assertTrue(List.of(((String) claims.get("scope")).split(" ")).contains("mcp:tools"), claims::toString);
        assertFalse(List.of(((String) claims.get("scope")).split(" ")).contains("mcp:tools:write"), claims::toString);
        assertEquals("service-account-demo-agent", claims.get("preferred_username"), "no real user: the client's service account");
        assertEquals(DEMO_AGENT, claims.get("azp"));
        assertEquals("demo-agent (machine client, no user)", McpToolCalls.callText(stack.mcpUrl(), accessToken, "whoami", Map.of()));
    }

    // ---- machine clients an admin creates, used by the TypeScript SDK ----------------------------------

    @Test
    void privateKeyJwtThroughTheTypeScriptSdk() throws Exception {
        // No kid: the SDK's assertions carry none, and Keycloak then picks the key by its algorithm.
        ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES256).generate();
        String clientId = "cc-sdk-jwt-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = createMachineClient(Map.of("clientId", clientId, "authMethod", "private_key_jwt",
                "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())), "signingAlg", "ES256",
                "scopes", List.of("mcp:tools"), "resources", List.of(stack.mcpUrl())));
        assertEquals(201, created.statusCode(), created.body());
        Map<String, Object> client = Json.object(created.body());
        assertNull(client.get("secret"), "a key client has no secret");
        assertEquals("private_key_jwt", client.get("authMethod"));
        assertEquals(List.of(stack.mcpUrl()), client.get("resources"));
        ClientRepresentation stored = admin.client(clientId).orElseThrow();
        assertEquals("client-jwt", stored.getClientAuthenticatorType());
        assertEquals("machine", stored.getAttributes().get("mcp.client"));
        assertEquals("ES256", stored.getAttributes().get("token.endpoint.auth.signing.alg"));
        assertTrue(stored.isServiceAccountsEnabled());
        assertFalse(stored.isStandardFlowEnabled());

        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.toECPrivateKey().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertEquals(clientId + " (machine client, no user)", sdkWhoami(Map.of("MCP_CLIENT_ID", clientId,
                "MCP_CLIENT_PRIVATE_KEY_PEM", pem, "MCP_CLIENT_ALGORITHM", "ES256")));
    }

    @Test
    void clientSecretThroughTheTypeScriptSdk() throws Exception {
        String clientId = "cc-sdk-secret-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = createMachineClient(Map.of("clientId", clientId, "authMethod", "client_secret_basic",
                "scopes", List.of("mcp:tools"), "resources", List.of(stack.mcpUrl())));
        assertEquals(201, created.statusCode(), created.body());
        String secret = (String) Json.object(created.body()).get("secret");
        assertNotNull(secret, "the secret, shown this once");

        HttpResponse<String> listed = new Http().get(machineClients, "Authorization", "Bearer " + admin.accessToken());
        assertEquals(200, listed.statusCode(), listed.body());
        Map<String, Object> view = Json.array(listed.body()).stream().filter(c -> clientId.equals(c.get("clientId"))).findFirst().orElseThrow();
        assertNull(view.get("secret"), "never listed");
        assertEquals(List.of("mcp:tools"), view.get("scopes"));

        assertEquals(clientId + " (machine client, no user)", sdkWhoami(Map.of("MCP_CLIENT_ID", clientId, "MCP_CLIENT_SECRET", secret)));
    }

    /** The SDK script's whoami answer with these settings. */
    private static String sdkWhoami(Map<String, String> settings) {
        PinnedClients clients = PinnedClients.installed();
        Path modules = Path.of(System.getProperty("mcp.clients.dir", "target/mcp-clients")).resolve("node_modules").toAbsolutePath();
        Map<String, String> environment = new LinkedHashMap<>(settings);
        environment.put("NODE_PATH", modules.toString());
        environment.put("MCP_SERVER_URL", stack.mcpUrl());
        environment.put("MCP_EXPECTED_ISSUER", stack.issuer());
        environment.put("MCP_SCOPE", "mcp:tools");
        try (NodeClientProcess script = NodeClientProcess.start("TypeScript SDK " + clients.version("@modelcontextprotocol/sdk"),
                clients.node(), Path.of("clients/machine-client.cjs").toAbsolutePath(), List.of(), environment)) {
            Map<String, Object> answer = script.awaitLine(Output.STDOUT, "the tool's answer", CLIENT_WAIT,
                    line -> line.startsWith("{\"text\"") ? Optional.of(Json.object(line)) : Optional.empty());
            assertEquals(false, answer.get("isError"), answer::toString);
            return (String) answer.get("text");
        }
    }

    // ---- what is refused ---------------------------------------------------------------------------------

    static Stream<Arguments> refusedRequests() {
        return Stream.of(
                refused("no resource", "grant_type=client_credentials&scope=mcp%3Atools", 400, "invalid_target"),
                refused("unknown resource", "grant_type=client_credentials&resource=" + Http.enc("https://unknown.example.com/mcp"), 400, "invalid_target"),
                refused("a registered MCP server it is not allowed", "grant_type=client_credentials&resource=" + Http.enc(OTHER_SERVER), 400,
                        "invalid_target"),
                // Keycloak refuses any repeated parameter at the token endpoint before a grant runs.
                refused("two resources", "grant_type=client_credentials&resource=SAMPLE&resource=" + Http.enc(OTHER_SERVER), 400, "invalid_request"),
                refused("a relative resource", "grant_type=client_credentials&resource=%2Fmcp", 400, "invalid_target"),
                refused("a scope beyond the ceiling", "grant_type=client_credentials&resource=SAMPLE&scope=mcp%3Atools%3Awrite", 400, "invalid_scope"),
                refused("offline_access", "grant_type=client_credentials&resource=SAMPLE&scope=mcp%3Atools+offline_access", 400, "invalid_scope"));
    }

    private static Arguments refused(String name, String body, int status, String error) {
        return Arguments.of(name, body, status, error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void refusedWithAClearOAuthError(String name, String body, int status, String error) {
        HttpResponse<String> response = new Http().send(Http.request(tokenEndpoint, "Authorization", basic(DEMO_AGENT, DEMO_SECRET),
                "Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
                        body.replace("SAMPLE", Http.enc(stack.mcpUrl())))).build());
        assertRefused(response, status, error);
    }

    @Test
    void offInTheRealmMeansUnauthorizedClientAndNothingAdvertised() {
        admin.setRegistrationPolicy("client-credentials", "false");
        try {
            assertRefused(tokenRequest(DEMO_AGENT, DEMO_SECRET, Map.of("grant_type", "client_credentials", "resource", stack.mcpUrl())),
                    400, "unauthorized_client");
            Map<String, Object> metadata = metadata();
            assertEquals(List.of("authorization_code", "refresh_token"), metadata.get("grant_types_supported"));
            assertEquals(List.of("none"), metadata.get("token_endpoint_auth_methods_supported"));
            assertFalse(metadata.containsKey("token_endpoint_auth_signing_alg_values_supported"));
        } finally {
            admin.setRegistrationPolicy("client-credentials", "true");
        }
    }

    @Test
    void onInTheRealmTheMetadataSaysHow() {
        Map<String, Object> metadata = metadata();
        assertEquals(List.of("authorization_code", "refresh_token", "client_credentials"), metadata.get("grant_types_supported"));
        List<?> methods = (List<?>) metadata.get("token_endpoint_auth_methods_supported");
        assertTrue(methods.containsAll(List.of("none", "private_key_jwt", "client_secret_basic")), methods::toString);
        List<?> algorithms = (List<?>) metadata.get("token_endpoint_auth_signing_alg_values_supported");
        assertTrue(algorithms.containsAll(List.of("RS256", "ES256", "PS256")), algorithms::toString);
        assertTrue(algorithms.stream().noneMatch(alg -> ((String) alg).startsWith("HS") || "none".equals(alg)), algorithms::toString);
    }

    @Test
    void selfRegisteredClientsNeverGetTheGrant() {
        admin.setRegistrationPolicy("allow-confidential-clients", "true");
        McpOAuthClient registered;
        try {
            Map<String, Object> body = McpOAuthClient.typicalRegistration("CC self-registered " + UUID.randomUUID());
            body.put("token_endpoint_auth_method", "client_secret_basic");
            registered = McpOAuthClient.register(metadata(), body);
        } finally {
            admin.setRegistrationPolicy("allow-confidential-clients", "false");
        }
        String secret = (String) registered.registration.get("client_secret");
        assertNotNull(secret, registered.registration::toString);
        // Even with service accounts switched on by hand.
        ClientRepresentation client = admin.client(registered.clientId).orElseThrow();
        client.setServiceAccountsEnabled(true);
        admin.realm().clients().get(client.getId()).update(client);

        assertRefused(tokenRequest(registered.clientId, secret, Map.of("grant_type", "client_credentials", "resource", stack.mcpUrl())),
                400, "unauthorized_client");
    }

    @Test
    void registrationRefusesTheGrant() {
        Map<String, Object> body = McpOAuthClient.typicalRegistration("CC registration " + UUID.randomUUID());
        body.put("grant_types", List.of("client_credentials"));
        HttpResponse<String> response = new Http().postJson((String) metadata().get("registration_endpoint"), Json.write(body));
        assertRefused(response, 400, "invalid_client_metadata");
    }

    @Test
    void privateKeyJwtRefusesSymmetricAndReusedAssertions() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        String clientId = "cc-jwt-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, createMachineClient(Map.of("clientId", clientId, "authMethod", "private_key_jwt",
                "jwks", Map.of("keys", List.of(key.toPublicJWK().toJSONObject())), "signingAlg", "ES256",
                "scopes", List.of("mcp:tools"), "resources", List.of(stack.mcpUrl()))).statusCode());

        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), assertionClaims(clientId));
        hmac.sign(new MACSigner(new byte[32]));
        assertRefused(assertionRequest(clientId, hmac.serialize()), 400, "invalid_client");

        SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                assertionClaims(clientId));
        signed.sign(new ECDSASigner(key));
        HttpResponse<String> first = assertionRequest(clientId, signed.serialize());
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(AccessTokens.audience((String) Json.object(first.body()).get("access_token")).contains(stack.mcpUrl()));
        assertRefused(assertionRequest(clientId, signed.serialize()), 400, "invalid_client");
    }

    @Test
    void theRealmsOtherServiceAccountsAreUntouched() {
        ClientRepresentation client = new ClientRepresentation();
        String clientId = "cc-plain-" + UUID.randomUUID().toString().substring(0, 8);
        client.setClientId(clientId);
        client.setPublicClient(false);
        client.setStandardFlowEnabled(false);
        client.setServiceAccountsEnabled(true);
        client.setSecret("test-only-plain-secret");
        admin.realm().clients().create(client).close();

        HttpResponse<String> response = tokenRequest(clientId, "test-only-plain-secret", Map.of("grant_type", "client_credentials"));
        assertEquals(200, response.statusCode(), "no resource needed, as in stock Keycloak: " + response.body());
        assertFalse(AccessTokens.audience((String) Json.object(response.body()).get("access_token")).contains(stack.mcpUrl()),
                "and no MCP server in its audience");
    }

    // ---- the admin API -------------------------------------------------------------------------------------

    static Stream<Arguments> badMachineClients() {
        return Stream.of(
                Arguments.of("a scope that is not an MCP scope", "{\"clientId\":\"ID\",\"authMethod\":\"client_secret_basic\",\"scopes\":[\"profile\"],\"resources\":[\"SAMPLE\"]}", "not an MCP scope"),
                Arguments.of("an unregistered MCP server", "{\"clientId\":\"ID\",\"authMethod\":\"client_secret_basic\",\"scopes\":[\"mcp:tools\"],\"resources\":[\"https://unknown.example.com/mcp\"]}", "not an MCP server registered"),
                Arguments.of("a private key in jwks", "{\"clientId\":\"ID\",\"authMethod\":\"private_key_jwt\",\"jwks\":{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\",\"d\":\"c\"}]},\"scopes\":[\"mcp:tools\"],\"resources\":[\"SAMPLE\"]}", "public keys only"),
                Arguments.of("HS256 pinned", "{\"clientId\":\"ID\",\"authMethod\":\"private_key_jwt\",\"jwksUri\":\"https://keys.example.com/jwks\",\"signingAlg\":\"HS256\",\"scopes\":[\"mcp:tools\"],\"resources\":[\"SAMPLE\"]}", "asymmetric"),
                Arguments.of("no JSON object", "[\"ID\"]", "JSON object"),
                Arguments.of("not JSON", "clientId=ID", "JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMachineClients")
    void badInputCreatesNothing(String name, String body, String says) {
        String clientId = "cc-bad-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = postMachineClient(body.replace("ID", clientId).replace("SAMPLE", stack.mcpUrl()));
        assertEquals(400, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals("invalid_request", refusal.get("error"));
        assertTrue(((String) refusal.get("error_description")).contains(says), response::body);
        assertTrue(admin.client(clientId).isEmpty(), "nothing left behind");
    }

    @Test
    void anExistingClientIdIsRefused() {
        HttpResponse<String> response = createMachineClient(Map.of("clientId", DEMO_AGENT, "authMethod", "client_secret_basic",
                "scopes", List.of("mcp:tools"), "resources", List.of(stack.mcpUrl())));
        assertEquals(400, response.statusCode(), response.body());
        assertEquals(DEMO_SECRET, admin.realm().clients().get(admin.client(DEMO_AGENT).orElseThrow().getId()).getSecret().getValue(),
                "the existing client is unchanged");
    }

    @Test
    void creatingNeedsManageClients() {
        String viewer = "cc-viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createRealmAdmin("mcp", viewer, List.of("view-clients"));
        Map<String, Object> tokens = Json.object(new Http().postForm(tokenEndpoint, Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", viewer, "password", viewer)).body());
        String token = (String) tokens.get("access_token");
        assertNotNull(token, tokens::toString);
        String clientId = "cc-forbidden-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> response = new Http().send(Http.request(machineClients, "Authorization", "Bearer " + token,
                "Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("clientId", clientId,
                        "authMethod", "client_secret_basic", "scopes", List.of("mcp:tools"), "resources", List.of(stack.mcpUrl()))))).build());
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(admin.client(clientId).isEmpty());
        assertEquals(200, new Http().get(machineClients, "Authorization", "Bearer " + token).statusCode(), "viewing is enough to list");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Map<String, Object> metadata() {
        return Json.object(new Http().get(stack.issuer() + "/.well-known/openid-configuration").body());
    }

    private static HttpResponse<String> createMachineClient(Map<String, Object> body) {
        return postMachineClient(Json.write(body));
    }

    private static HttpResponse<String> postMachineClient(String body) {
        return new Http().send(Http.request(machineClients, "Authorization", "Bearer " + admin.accessToken(), "Content-Type",
                "application/json", "Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> tokenRequest(String clientId, String secret, Map<String, String> form) {
        return new Http().postForm(tokenEndpoint, form, "Authorization", basic(clientId, secret));
    }

    private static HttpResponse<String> assertionRequest(String clientId, String assertion) {
        return new Http().postForm(tokenEndpoint, Map.of("grant_type", "client_credentials", "resource", stack.mcpUrl(),
                "client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion", assertion));
    }

    private static JWTClaimsSet assertionClaims(String clientId) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(stack.issuer()).jwtID(UUID.randomUUID().toString())
                .issueTime(new Date(now)).expirationTime(new Date(now + 60_000)).build();
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((Http.enc(clientId) + ":" + Http.enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(HttpResponse<String> response, int status, String error) {
        assertEquals(status, response.statusCode(), response.body());
        Map<String, Object> refusal = Json.object(response.body());
        assertEquals(error, refusal.get("error"), response.body());
        assertNull(refusal.get("access_token"));
    }
}
