package dev.keycloakmcp.cimd;

import java.util.List;

import org.keycloak.representations.oidc.OIDCClientRepresentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.McpRealmSettings;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.registration.ClientMetadataJson;
import dev.keycloakmcp.registration.RegistrationRequest;

/**
 * A fetched Client ID Metadata Document read as the client metadata of an MCP client.
 * It is held to the rules of a registration ({@link RegistrationRequest}) plus those of the draft and of MCP: its
 * {@code client_id} is its own URL, it has a {@code client_name} and {@code redirect_uris}. Members clients publish
 * for other servers are tolerated, as the MCP clients in use need: unknown ones ignored, grants and authentication
 * method narrowed to a public client's ({@link #publicClientGrants}, {@link #hasAuthMethodNone}).
 */
final class MetadataDocument {

    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String NONE = "none";

    private MetadataDocument() {
    }

    /** The client metadata of {@code document}, fetched from {@code url}, as a public MCP client. */
    static OIDCClientRepresentation read(ObjectNode document, ClientIdUrl url, McpRealmSettings settings,
            KeycloakOrigins keycloak) throws Refusal {
        // Every member RFC 7591 knows has its own type, as in a registration, before any is read here.
        ClientMetadataJson.bind(document);
        ObjectNode members = document.deepCopy();
        JsonNode clientId = members.get("client_id");
        if (clientId == null || !clientId.isTextual() || !clientId.asText().equals(url.uri().toString())) {
            throw Refusal.invalidClientMetadata("client_id in the metadata document does not equal the URL it was fetched from");
        }
        JsonNode name = members.get("client_name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw Refusal.invalidClientMetadata("The metadata document has no client_name");
        }
        if (!hasAuthMethodNone(members)) {
            throw Refusal.invalidClientMetadata("The metadata document allows no token_endpoint_auth_method this server supports "
                    + "(only 'none': metadata-document clients are public and prove themselves with PKCE)");
        }
        members.put("token_endpoint_auth_method", NONE);
        members.remove("token_endpoint_auth_methods_supported");
        members.set("grant_types", publicClientGrants(members.get("grant_types"), settings));
        JsonNode responseTypes = members.get("response_types");
        if (responseTypes != null && !(responseTypes.isArray() && contains(responseTypes, "code"))) {
            throw Refusal.invalidClientMetadata("The metadata document's response_types do not include 'code'");
        }
        members.remove("response_types");
        OIDCClientRepresentation request = ClientMetadataJson.bind(members);
        request.setResponseTypes(List.of("code"));
        RegistrationRequest.check(request, url.uri().toString(), settings, keycloak);
        return RegistrationRequest.asMcpClient(request, settings);
    }

    /**
     * Whether the document lets the client authenticate with {@code none} at the token endpoint
     * ({@code token_endpoint_auth_method}, or ChatGPT's {@code token_endpoint_auth_methods_supported}).
     */
    private static boolean hasAuthMethodNone(JsonNode members) {
        JsonNode method = members.get("token_endpoint_auth_method");
        JsonNode supported = members.get("token_endpoint_auth_methods_supported");
        if (supported != null && supported.isArray()) {
            return contains(supported, NONE);
        }
        // RFC 7591 §2: without the member the method is client_secret_basic; the MCP clients that omit it are public
        // clients, and a client that holds no secret here can use nothing else.
        return method == null || (method.isTextual() && NONE.equals(method.asText()));
    }

    /**
     * The code and refresh grants the document lists, and the device grant where the realm allows it; the others
     * dropped (Claude's {@code jwt-bearer}, VS Code's {@code device_code} where the realm does not allow it). A document
     * without the code grant is of no use here.
     */
    private static ArrayNode publicClientGrants(JsonNode listed, McpRealmSettings settings) throws Refusal {
        ArrayNode kept = JsonNodeFactory.instance.arrayNode();
        if (listed == null) {
            kept.add(AUTHORIZATION_CODE);
        } else if (listed.isArray()) {
            if (contains(listed, AUTHORIZATION_CODE)) {
                kept.add(AUTHORIZATION_CODE);
            }
            if (contains(listed, REFRESH_TOKEN)) {
                kept.add(REFRESH_TOKEN);
            }
            if (settings.deviceGrant() && contains(listed, RegistrationRequest.DEVICE_CODE_GRANT)) {
                kept.add(RegistrationRequest.DEVICE_CODE_GRANT);
            }
        }
        if (!contains(kept, AUTHORIZATION_CODE)) {
            throw Refusal.invalidClientMetadata("The metadata document's grant_types do not include 'authorization_code'");
        }
        return kept;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.isTextual() && item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
