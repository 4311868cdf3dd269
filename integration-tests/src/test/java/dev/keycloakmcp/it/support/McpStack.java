package dev.keycloakmcp.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionContext;

import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.sample.McpSampleServer;
import dev.keycloakmcp.sample.SampleServerConfig;

/**
 * What the integration tests run against, started once per test run: Keycloak with the pack and the
 * {@code mcp} realm, and the sample MCP server registered in that realm.
 */
public final class McpStack implements ExtensionContext.Store.CloseableResource {

    public static final String REALM = "mcp";
    static final int REAPER_INTERVAL_SECONDS = 2;

    /** How long Keycloak waits for a metadata document here (a test serves a slower one). */
    public static final int DOCUMENT_TIMEOUT_MILLIS = 2000;

    public final KeycloakRuntime keycloak;
    public final DocumentServer documents;
    /** The admin API, signed in as Keycloak's bootstrap admin. */
    public final RealmAdmin admin;
    /** The sample MCP server's URL, which the realm knows as its MCP server. */
    private final String resource;
    /** Null if it did not start: {@link #sampleFailure} says why. */
    private final McpSampleServer sample;
    private final Exception sampleFailure;

    private McpStack(KeycloakRuntime keycloak, String resource, McpSampleServer sample, Exception sampleFailure, DocumentServer documents,
            RealmAdmin admin) {
        this.keycloak = keycloak;
        this.resource = resource;
        this.sample = sample;
        this.sampleFailure = sampleFailure;
        this.documents = documents;
        this.admin = admin;
    }

    static McpStack start() throws Exception {
        int samplePort = KeycloakDistribution.freePort();
        String resource = "http://localhost:" + samplePort + "/mcp";
        DocumentServer documents = DocumentServer.start(Path.of(System.getProperty("keycloak.home")).getParent().resolve("documents"));
        KeycloakRuntime keycloak;
        Instant begin = Instant.now();
        try {
            // The reaper runs every few seconds so that its test can wait for it. Metadata documents come from this host
            // (the development allowance) over https with the document server's certificate.
            keycloak = KeycloakRuntimes.start(Map.of("MCP_SAMPLE_RESOURCE", resource),
                    List.of(SpiOption.REAPER_INTERVAL.withValue(REAPER_INTERVAL_SECONDS),
                            "--truststore-paths=" + documents.certificate(), SpiOption.LOOPBACK_DOCUMENTS.withValue(true),
                            SpiOption.DOCUMENT_READ_TIMEOUT.withValue(DOCUMENT_TIMEOUT_MILLIS)));
        } catch (Exception | Error e) {
            documents.close();
            throw e;
        }
        // What a compatibility run costs per line: a first start includes Keycloak's build of the pack's providers.
        System.out.printf("Keycloak %s with the pack up and realm %s imported in %d s%n", System.getProperty(SpiOption.VERSION_PROPERTY), REALM,
                Duration.between(begin, Instant.now()).toSeconds());
        try {
            // The suite registers many clients from one address: the rate limit is off except in its own test.
            RealmAdmin admin = new RealmAdmin(keycloak);
            admin.setRegistrationPolicy("registrations-per-minute", "0");
            // The demo realm offers MCP clients the device grant; the suite's realm does only in its own test (DeviceGrantIT).
            admin.setRegistrationPolicy(McpRealmSettings.DEVICE_GRANT, "false");
            // Client credentials (on in the demo realm) change the metadata: off except in their own test (ClientCredentialsIT).
            admin.setRegistrationPolicy("client-credentials", "false");
            // Its documents all come from one host: that host's cap is off except in its own test.
            admin.setRegistrationPolicy("mcp-client-metadata-documents", "max-clients-per-host", List.of("0"));
            McpSampleServer sample = null;
            Exception sampleFailure = null;
            try {
                sample = McpSampleServer.start(sampleConfig(keycloak, resource, samplePort, Map.of()));
            } catch (Exception e) {
                // It reads the realm's discovery document first. On a Keycloak line where that fails, the tests that need
                // no running MCP server (registration, the authorization endpoint's checks...) still report on their own.
                System.out.println("The sample MCP server did not start; the tests that call it fail: " + e.getMessage());
                sampleFailure = e;
            }
            return new McpStack(keycloak, resource, sample, sampleFailure, documents, admin);
        } catch (Exception | Error e) {
            keycloak.close();
            documents.close();
            throw e;
        }
    }

    /** The sample server's configuration in this stack, with {@code settings} (its environment variables) on top. */
    public static SampleServerConfig sampleConfig(KeycloakRuntime keycloak, String resource, int port, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("MCP_ISSUER", keycloak.issuer(REALM), "MCP_RESOURCE", resource,
                "MCP_PORT", String.valueOf(port), "MCP_HOST", "localhost"));
        env.putAll(settings);
        return SampleServerConfig.fromEnvironment(new String[0], env);
    }

    public String issuer() {
        return keycloak.issuer(REALM);
    }

    public String mcpUrl() {
        return resource;
    }

    /** The running sample MCP server; fails the calling test with the reason if it did not start. */
    public McpSampleServer sample() {
        if (sample == null) {
            throw new IllegalStateException("The sample MCP server did not start", sampleFailure);
        }
        return sample;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
            if (sample != null) {
                sample.close();
            }
        } finally {
            try {
                keycloak.close();
            } finally {
                documents.close();
            }
        }
    }
}
