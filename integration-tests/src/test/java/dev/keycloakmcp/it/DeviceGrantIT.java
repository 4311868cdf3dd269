package dev.keycloakmcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.representations.idm.ClientRepresentation;

import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.it.pages.Browser;
import dev.keycloakmcp.it.pages.BrowserConsentPage;
import dev.keycloakmcp.it.pages.BrowserSignInPage;
import dev.keycloakmcp.it.pages.HttpConsentPage;
import dev.keycloakmcp.it.pages.HttpSignInPage;
import dev.keycloakmcp.it.support.AccessTokens;
import dev.keycloakmcp.it.support.Compat;
import dev.keycloakmcp.it.support.KeycloakDistribution;
import dev.keycloakmcp.it.support.Http;
import dev.keycloakmcp.it.support.Json;
import dev.keycloakmcp.it.support.McpOAuthClient;
import dev.keycloakmcp.it.support.McpStack;
import dev.keycloakmcp.it.support.McpStackTest;
import dev.keycloakmcp.it.support.NodeClientProcess;
import dev.keycloakmcp.it.support.NodeClientProcess.Output;
import dev.keycloakmcp.it.support.PinnedClients;
import dev.keycloakmcp.it.support.StdioMcpHost;

/**
 * The RFC 8628 device grant for MCP clients, which the realm's registration policy allows: mcp-remote
 * {@code --device-code} end to end with the scripted browser on the verification and consent pages, then what every
 * request of the flow answers a client that should not get a token (never a 5xx).
 */
@McpStackTest
class DeviceGrantIT {

    static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
    /** Node's start, registration and discovery on a loaded 2-core machine; mcp-remote polls every 5 s. */
    static final Duration CLIENT_WAIT = Duration.ofMinutes(2);

    private static McpStack stack;
    private static Map<String, Object> metadata;
    /** A second MCP server registered in the realm, which no device code here names. */
    private static String otherServer;

    @BeforeAll
    static void allowTheDeviceGrant() throws Exception {
        stack.admin.setRegistrationPolicy(McpRealmSettings.DEVICE_GRANT, "true");
        metadata = Json.object(new Http().get(stack.issuer() + "/.well-known/oauth-authorization-server").body());
        otherServer = "http://localhost:" + KeycloakDistribution.freePort() + "/mcp";
        stack.admin.registerMcpServer(otherServer);
    }

    @AfterAll
    static void suiteDefault() {
        stack.admin.setRegistrationPolicy(McpRealmSettings.DEVICE_GRANT, "false");
    }

    @Compat
    @Test
    void mcpRemoteWithDeviceCodeSignsInThroughAnotherBrowserAndCallsATool() throws Exception {
        PinnedClients clients = PinnedClients.installed();
        String version = clients.version("mcp-remote");
        Path configDir = clients.stateDirectory("mcp-remote");
        try (NodeClientProcess client = NodeClientProcess.start("mcp-remote " + version, clients.node(), clients.mcpRemote(),
                List.of(stack.mcpUrl(), String.valueOf(KeycloakDistribution.freePort()), "--device-code"),
                Map.of("MCP_REMOTE_CONFIG_DIR", configDir.toString()));
                Browser browser = new Browser("en")) {
            client.showingOutputOnFailure(() -> {
                String url = client.awaitUrlAfter(Output.STDERR, "To authorize this client, visit:", CLIENT_WAIT);
                assertTrue(url.startsWith(stack.issuer() + "/device?user_code="), url);

                // Another device: the verification page, sign-in, then the consent page with the MCP facts.
                browser.open(url);
                new BrowserSignInPage(browser).signIn("alice", "alice");
                BrowserConsentPage consent = new BrowserConsentPage(browser);
                assertEquals("MCP CLI Proxy", consent.clientName(), "mcp-remote's client_name");
                assertTrue(consent.unverifiedNotice().contains("registered itself"), consent.unverifiedNotice());
                assertEquals(stack.mcpUrl(), consent.resourceUrl());
                assertEquals(null, consent.loopbackWarning(), "the token goes to the polling device, not to this computer");
                assertTrue(consent.requestedScopes().contains("Use the tools of the MCP server"), consent.requestedScopes()::toString);
                browser.screenshot("device-consent");
                consent.allow();
                assertTrue(browser.waitForText("Device Login Successful"), "the verification's end page");

                assertEquals("alice", StdioMcpHost.whoami(client, "DeviceGrantIT", CLIENT_WAIT));
                Map<String, Object> stored = storedTokens(configDir);
                assertEquals(List.of(stack.mcpUrl()), servers((String) stored.get("access_token")));
                System.out.printf("[DeviceGrantIT] mcp-remote %s --device-code: spawn to whoami answer in %d ms%n", version,
                        client.sinceStart().toMillis());
            });
        }
        ClientRepresentation registered = stack.admin.clients().stream()
                .filter(c -> "MCP CLI Proxy".equals(c.getName()) && "true".equals(c.getAttributes().get("oauth2.device.authorization.grant.enabled")))
                .findFirst().orElseThrow(() -> new AssertionError("mcp-remote registered no device client"));
        assertEquals("dynamic", registered.getAttributes().get("mcp.client"));
    }

    @Test
    void metadataAdvertisesTheDeviceEndpointAndGrantOnlyWhileAllowed() {
        assertEquals(stack.issuer() + "/protocol/openid-connect/auth/device", metadata.get("device_authorization_endpoint"));
        assertEquals(List.of("authorization_code", "refresh_token", DEVICE_CODE), metadata.get("grant_types_supported"));
        withDeviceGrantOff(() -> {
            for (String document : List.of("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration")) {
                Map<String, Object> off = Json.object(new Http().get(stack.issuer() + document).body());
                assertFalse(off.containsKey("device_authorization_endpoint"), document);
                assertEquals(List.of("authorization_code", "refresh_token"), off.get("grant_types_supported"), document);
            }
        });
    }

    @Test
    void registrationGetsTheDeviceGrantOnlyWhileAllowedAndNeverClientCredentials() {
        McpOAuthClient client = registerDeviceClient("Device registration IT");
        assertTrue(((List<?>) client.registration.get("grant_types")).contains(DEVICE_CODE), client.registration::toString);
        Map<String, String> attributes = stack.admin.client(client.clientId).orElseThrow().getAttributes();
        assertEquals("true", attributes.get("oauth2.device.authorization.grant.enabled"));
        // Keycloak's per-client PKCE method applies at the device endpoint too: a device client goes without it.
        assertTrue(attributes.getOrDefault("pkce.code.challenge.method", "").isEmpty(), attributes::toString);

        McpOAuthClient codeFlow = McpOAuthClient.register(stack, "Code flow IT");
        assertEquals("false", stack.admin.client(codeFlow.clientId).orElseThrow().getAttributes().get("oauth2.device.authorization.grant.enabled"));
        assertEquals("S256", stack.admin.client(codeFlow.clientId).orElseThrow().getAttributes().get("pkce.code.challenge.method"));

        Map<String, Object> machine = McpOAuthClient.typicalRegistration("Machine IT");
        machine.put("grant_types", List.of(DEVICE_CODE, "client_credentials"));
        assertRegistrationRefused(machine);
        withDeviceGrantOff(() -> {
            Map<String, Object> device = McpOAuthClient.typicalRegistration("Device off IT");
            device.put("grant_types", List.of(DEVICE_CODE, "refresh_token"));
            assertRegistrationRefused(device);
        });
    }

    /** The S256 rule stays at the authorization endpoint for a device client: a code request without PKCE is refused. */
    @Test
    void aDeviceClientStillNeedsPkceForCodes() {
        McpOAuthClient client = registerDeviceClient("Device PKCE IT");
        Map<String, String> request = client.authorizationRequest(null, stack.mcpUrl());
        Map<String, String> answer = McpOAuthClient.redirectQuery(client.authorize(request));
        assertEquals("invalid_request", answer.get("error"), answer::toString);
        assertTrue(answer.get("error_description").contains("code_challenge"), answer::toString);
    }

    @Test
    void aClientRegisteredWithoutTheGrantIsUnauthorized() {
        McpOAuthClient client = McpOAuthClient.register(stack, "No device grant IT");
        assertError(400, "unauthorized_client", deviceRequest(client, Map.of("resource", stack.mcpUrl())));
    }

    /** Switched off, the grant is refused at both endpoints to clients that registered while it was on. */
    @Test
    void switchedOffRefusesClientsThatRegisteredWhileItWasOn() {
        McpOAuthClient client = registerDeviceClient("Device switched off IT");
        Map<String, Object> authorization = deviceAuthorization(client, stack.mcpUrl());
        withDeviceGrantOff(() -> {
            assertError(400, "unauthorized_client", deviceRequest(client, Map.of("resource", stack.mcpUrl())));
            assertError(400, "unauthorized_client", poll(client, (String) authorization.get("device_code"), null));
        });
    }

    /**
     * Refused before any device code exists. Two values never reach the pack: Keycloak's parser of the device endpoint
     * refuses any repeated parameter first, with its own (odd) {@code invalid_grant} "duplicated parameter".
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"unknown server, invalid_target", "none while required, invalid_target", "two servers, invalid_grant"})
    void aResourceThatNamesNoSingleMcpServerIsRefused(String kind, String error) {
        McpOAuthClient client = registerDeviceClient("Device resource IT");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", client.clientId);
        form.put("scope", "mcp:tools");
        String body = switch (kind) {
            case "unknown server" -> Http.form(form) + "&resource=" + Http.enc("https://unknown.example/mcp");
            case "two servers" -> Http.form(form) + "&resource=" + Http.enc(stack.mcpUrl()) + "&resource=" + Http.enc(otherServer);
            default -> Http.form(form);
        };
        if (kind.equals("none while required")) {
            stack.admin.setRegistrationPolicy(McpRealmSettings.REQUIRE_RESOURCE, "true");
        }
        try {
            assertError(400, error, client.http.send(Http.request((String) metadata.get("device_authorization_endpoint"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build()));
        } finally {
            stack.admin.setRegistrationPolicy(McpRealmSettings.REQUIRE_RESOURCE, "false");
        }
    }

    /** Keycloak's polling limits: pending, then a poll sooner than the interval slows down; an unknown code is invalid. */
    @Test
    void pollingLimitsAreKeycloaks() {
        McpOAuthClient client = registerDeviceClient("Device polling IT");
        Map<String, Object> authorization = deviceAuthorization(client, stack.mcpUrl());
        assertEquals(5, ((Number) authorization.get("interval")).intValue());
        String deviceCode = (String) authorization.get("device_code");
        assertError(400, "authorization_pending", poll(client, deviceCode, stack.mcpUrl()));
        assertError(400, "slow_down", poll(client, deviceCode, stack.mcpUrl()));
        assertError(400, "invalid_grant", poll(client, "not-a-device-code", stack.mcpUrl()));
    }

    @Test
    void deniedOnTheConsentPageIsAccessDeniedToThePollingClient() {
        McpOAuthClient client = registerDeviceClient("Device denied IT");
        Map<String, Object> authorization = deviceAuthorization(client, stack.mcpUrl());
        HttpConsentPage consent = signInToConsent(authorization);
        consent.deny();
        assertError(400, "access_denied", poll(client, (String) authorization.get("device_code"), stack.mcpUrl()));
    }

    /**
     * Approved: the token is for the device code's MCP server; a poll naming another one is refused and leaves the code
     * usable; refreshes keep the server.
     */
    @Compat
    @Test
    void theTokenIsBoundToTheDeviceCodesServerAndRefreshKeepsIt() {
        McpOAuthClient client = registerDeviceClient("Device bound IT");
        Map<String, Object> authorization = deviceAuthorization(client, stack.mcpUrl());
        HttpConsentPage consent = signInToConsent(authorization);
        assertEquals(stack.mcpUrl(), consent.resourceUrl());
        assertTrue(consent.unverifiedNotice().contains("registered itself"), consent.unverifiedNotice());
        assertEquals(null, consent.redirectHost(), "no redirect: the token goes to the polling device");
        consent.allow();

        String deviceCode = (String) authorization.get("device_code");
        assertError(400, "invalid_target", poll(client, deviceCode, otherServer));
        assertError(400, "invalid_target", poll(client, deviceCode, "https://unknown.example/mcp"));
        // Keycloak's token endpoint refuses a repeated parameter itself.
        assertError(400, "invalid_request", pollWithTwoResources(client, deviceCode));
        HttpResponse<String> tokens = poll(client, deviceCode, stack.mcpUrl());
        assertEquals(200, tokens.statusCode(), tokens::body);
        Map<String, Object> issued = Json.object(tokens.body());
        assertEquals(List.of(stack.mcpUrl()), servers((String) issued.get("access_token")));
        assertError(400, "invalid_grant", poll(client, deviceCode, stack.mcpUrl()));

        HttpResponse<String> refreshed = client.refresh((String) issued.get("refresh_token"), null);
        assertEquals(200, refreshed.statusCode(), refreshed::body);
        assertEquals(List.of(stack.mcpUrl()), servers((String) Json.object(refreshed.body()).get("access_token")));
        assertError(400, "invalid_target", client.refresh((String) Json.object(refreshed.body()).get("refresh_token"), otherServer));
    }

    /** A self-registered client's consent is asked on every device authorization too, not only the first. */
    @Test
    void consentIsAskedOnEveryDeviceAuthorization() {
        McpOAuthClient client = registerDeviceClient("Device consent every time IT");
        for (int authorization = 1; authorization <= 2; authorization++) {
            Map<String, Object> device = deviceAuthorization(client, stack.mcpUrl());
            // The consent page, or the constructor fails naming the page Keycloak showed instead.
            signInToConsent(device).allow();
            HttpResponse<String> tokens = poll(client, (String) device.get("device_code"), stack.mcpUrl());
            assertEquals(200, tokens.statusCode(), () -> "authorization " + tokens.body());
        }
    }

    /** A device code requested without resource gives a token without an MCP server, as the code flow does. */
    @Test
    void withoutResourceTheTokenNamesNoMcpServer() {
        McpOAuthClient client = registerDeviceClient("Device no resource IT");
        Map<String, Object> authorization = deviceAuthorization(client, (String) null);
        signInToConsent(authorization).allow();
        HttpResponse<String> tokens = poll(client, (String) authorization.get("device_code"), null);
        assertEquals(200, tokens.statusCode(), tokens::body);
        assertEquals(List.of(), servers((String) Json.object(tokens.body()).get("access_token")));
    }

    /** Registers as mcp-remote --device-code does: the device and refresh grants, a loopback redirect URI. */
    /**
     * Keycloak copies any parameter a client sends at the device endpoint into the device code: one named like the pack's
     * own is dropped by the pack's check, and where that check did not run (its client policy disabled) the code is not
     * sealed, so no token is bound to a server the client named itself.
     */
    @Test
    void aClientCannotPlantItsOwnServerInTheDeviceCode() {
        McpOAuthClient client = registerDeviceClient("Device planted resource IT");
        Map<String, Object> checked = deviceAuthorization(client, Map.of("resource", stack.mcpUrl(), "mcp_resource", otherServer));
        assertError(400, "authorization_pending", poll(client, (String) checked.get("device_code"), null));

        var policies = stack.admin.realm().clientPoliciesPoliciesResource();
        var all = policies.getPolicies();
        var device = all.getPolicies().stream().filter(p -> "keycloak-mcp-device-grant".equals(p.getName())).findFirst().orElseThrow();
        device.setEnabled(false);
        policies.updatePolicies(all);
        try {
            Map<String, Object> planted = deviceAuthorization(client, Map.of("mcp_resource", otherServer, "mcp_resource_seal", "forged"));
            HttpResponse<String> refused = poll(client, (String) planted.get("device_code"), null);
            assertError(400, "invalid_grant", refused);
            assertTrue(refused.body().contains("not checked"), refused::body);
        } finally {
            device.setEnabled(true);
            policies.updatePolicies(all);
        }
    }

    private static McpOAuthClient registerDeviceClient(String name) {
        Map<String, Object> body = McpOAuthClient.typicalRegistration(name);
        body.put("grant_types", List.of(DEVICE_CODE, "refresh_token"));
        return McpOAuthClient.register(metadata, body);
    }

    private static void assertRegistrationRefused(Map<String, Object> body) {
        HttpResponse<String> refused = new Http().postJson((String) metadata.get("registration_endpoint"), Json.write(body));
        assertError(400, "invalid_client_metadata", refused);
    }

    private static HttpResponse<String> deviceRequest(McpOAuthClient client, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", client.clientId);
        form.put("scope", "mcp:tools");
        form.putAll(extra);
        return client.http.postForm((String) metadata.get("device_authorization_endpoint"), form);
    }

    private static Map<String, Object> deviceAuthorization(McpOAuthClient client, String resource) {
        return deviceAuthorization(client, resource == null ? Map.of() : Map.of("resource", resource));
    }

    private static Map<String, Object> deviceAuthorization(McpOAuthClient client, Map<String, String> parameters) {
        HttpResponse<String> response = deviceRequest(client, parameters);
        assertEquals(200, response.statusCode(), response::body);
        Map<String, Object> authorization = Json.object(response.body());
        assertNotNull(authorization.get("device_code"), response::body);
        return authorization;
    }

    private static HttpResponse<String> poll(McpOAuthClient client, String deviceCode, String resource) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", DEVICE_CODE);
        form.put("client_id", client.clientId);
        form.put("device_code", deviceCode);
        if (resource != null) {
            form.put("resource", resource);
        }
        return client.http.postForm((String) metadata.get("token_endpoint"), form);
    }

    private static HttpResponse<String> pollWithTwoResources(McpOAuthClient client, String deviceCode) {
        String body = Http.form(Map.of("grant_type", DEVICE_CODE, "client_id", client.clientId, "device_code", deviceCode))
                + "&resource=" + Http.enc(stack.mcpUrl()) + "&resource=" + Http.enc(otherServer);
        return client.http.send(Http.request((String) metadata.get("token_endpoint"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The verification URL in the user's browser (another agent than the client's), signed in as alice: the consent page. */
    private static HttpConsentPage signInToConsent(Map<String, Object> authorization) {
        Http user = new Http();
        HttpResponse<String> page = user.followWithinServer(user.get((String) authorization.get("verification_uri_complete")));
        return new HttpConsentPage(user, new HttpSignInPage(user, page).signIn("alice", "alice"));
    }

    private static void assertError(int status, String error, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(error, Json.object(response.body()).get("error"), response::body);
    }

    private static void withDeviceGrantOff(Runnable steps) {
        stack.admin.setRegistrationPolicy(McpRealmSettings.DEVICE_GRANT, "false");
        try {
            steps.run();
        } finally {
            stack.admin.setRegistrationPolicy(McpRealmSettings.DEVICE_GRANT, "true");
        }
    }

    /** The MCP servers among an access token's audience. */
    private static List<Object> servers(String accessToken) {
        List<Object> values = new java.util.ArrayList<>(AccessTokens.audience(accessToken));
        values.retainAll(List.of(stack.mcpUrl(), otherServer));
        return values;
    }

    /** The tokens mcp-remote keeps in its config folder ({@code <version>/<hash>_tokens.json}). */
    private static Map<String, Object> storedTokens(Path configDir) throws IOException {
        try (Stream<Path> files = Files.walk(configDir)) {
            Path tokens = files.filter(file -> file.getFileName().toString().endsWith("_tokens.json")).findFirst()
                    .orElseThrow(() -> new AssertionError("mcp-remote stored no tokens under " + configDir));
            return Json.object(Files.readString(tokens));
        }
    }
}
