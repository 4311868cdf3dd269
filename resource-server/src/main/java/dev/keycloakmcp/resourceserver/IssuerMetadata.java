package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.TypeRef;



/**
 * What the server takes from the issuer's OpenID metadata, read once at startup: where to introspect tokens and
 * where the realm publishes its signing keys. Either URL can be configured instead (a private route to Keycloak);
 * the metadata is read anyway, so that a wrong issuer stops the server with a clear message.
 */
public record IssuerMetadata(URI introspectionEndpoint, URI jwksUri) {

    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {
    };

    public static IssuerMetadata read(McpAuthSettings config, HttpClient http) {
        URI discovery = URI.create(config.issuer() + "/.well-known/openid-configuration");
        HttpResponse<String> response;
        try {
            response = BoundedCall.send(http, HttpRequest.newBuilder(discovery).timeout(config.introspection().timeout()).GET().build(),
                    config.introspection().timeout()).join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new McpAuthSetupException("Cannot read issuer metadata at " + discovery + " (" + BoundedCall.reason(cause)
                    + "): is Keycloak running and the issuer right?", cause, McpAuthSetupException.Setting.ISSUER);
        }
        if (response.statusCode() != 200) {
            throw new McpAuthSetupException("Issuer metadata " + discovery + " answered HTTP " + response.statusCode()
                    + ": check the issuer (" + config.issuer() + ")", null, McpAuthSetupException.Setting.ISSUER);
        }
        Map<String, Object> metadata;
        try {
            metadata = McpJsonDefaults.getMapper().readValue(response.body(), JSON_OBJECT);
        } catch (IOException | RuntimeException e) {
            throw new McpAuthSetupException("Issuer metadata at " + discovery + " is not a JSON object: check the issuer", e,
                    McpAuthSetupException.Setting.ISSUER);
        }
        if (metadata == null) {
            throw new McpAuthSetupException("Issuer metadata at " + discovery + " is empty: check the issuer", null,
                    McpAuthSetupException.Setting.ISSUER);
        }
        if (!config.issuer().equals(metadata.get("issuer"))) {
            throw new McpAuthSetupException("Issuer metadata at " + discovery + " names issuer " + metadata.get("issuer")
                    + ", not " + config.issuer(), null, McpAuthSetupException.Setting.ISSUER);
        }
        return new IssuerMetadata(
                orFromMetadata(config.introspection().endpoint(), metadata, "introspection_endpoint", discovery),
                orFromMetadata(config.signedTokens().jwksUri(), metadata, "jwks_uri", discovery));
    }

    private static URI orFromMetadata(URI configured, Map<String, Object> metadata, String member, URI discovery) {
        if (configured != null) {
            return configured;
        }
        if (!(metadata.get(member) instanceof String url)) {
            throw new McpAuthSetupException("Issuer metadata at " + discovery + " has no " + member, null,
                    McpAuthSetupException.Setting.ISSUER);
        }
        return URI.create(url);
    }
}
