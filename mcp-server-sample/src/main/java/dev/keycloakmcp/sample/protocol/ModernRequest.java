package dev.keycloakmcp.sample.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.modelcontextprotocol.json.McpJsonMapper;

import dev.keycloakmcp.resourceserver.ProtocolEra;

/**
 * A request of an MCP 2026-07-28 ("modern") client: stateless, with its protocol version in the
 * {@code MCP-Protocol-Version} header and in {@code params._meta}, and the {@code Mcp-Method}/{@code Mcp-Name}
 * headers mirroring the body. MCP Java SDK 2.1.0 knows none of this; the sample tells such requests apart from
 * those of 2025-xx clients (which open a session with {@code initialize}) and checks them as the spec's
 * Streamable HTTP "Server Validation" requires.
 */
public final class ModernRequest {

    /** The only stateless protocol version the sample serves. */
    public static final String VERSION = "2026-07-28";

    static final String VERSION_HEADER = ProtocolEra.VERSION_HEADER;
    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";
    static final String META_VERSION = ProtocolEra.META_VERSION;
    static final String DISCOVER = "server/discover";

    /** Requests whose target the client must mirror into {@code Mcp-Name}, and the parameter it comes from. */
    private static final Map<String, String> NAMED = Map.of("tools/call", "name", "prompts/get", "name", "resources/read", "uri");
    private static final String BASE64_PREFIX = "=?base64?";
    private static final String BASE64_SUFFIX = "?=";

    private ModernRequest() {
    }

    /** Whether a request is a modern one: see {@link ProtocolEra#isStateless}. */
    public static boolean isModern(HttpServletRequest request, Object message) {
        return ProtocolEra.isStateless(request, message);
    }

    /** Why a modern request cannot be served, or {@code null} when it can. */
    static ProtocolError check(HttpServletRequest request, Object message) {
        if (!(message instanceof Map<?, ?> map)) {
            return ProtocolError.invalidRequest("Invalid Request: the body must be one JSON-RPC request or notification");
        }
        if (!(map.get("method") instanceof String method)) {
            return ProtocolError.invalidRequest("Invalid Request: clients send requests and notifications only");
        }
        boolean isRequest = map.containsKey("id");
        List<String> versions = values(request, VERSION_HEADER);
        if (versions.size() > 1) {
            return ProtocolError.headerMismatch("MCP-Protocol-Version is sent more than once");
        }
        String version = versions.isEmpty() ? null : versions.get(0);
        if (version == null && isRequest) {
            return ProtocolError.headerMismatch("the MCP-Protocol-Version header is missing");
        }
        if (version != null && !VERSION.equals(version)) {
            return ProtocolError.unsupportedVersion(version);
        }
        Object metaVersion = metaVersion(map);
        if ((isRequest || metaVersion != null) && !String.valueOf(version).equals(metaVersion)) {
            return ProtocolError.headerMismatch("MCP-Protocol-Version header '" + version + "' does not match _meta protocolVersion '"
                    + metaVersion + "'");
        }
        List<String> methods = values(request, METHOD_HEADER);
        // The spec requires the headers on requests only; on a notification they are checked when sent.
        if ((isRequest || !methods.isEmpty()) && !List.of(method).equals(methods)) {
            return ProtocolError.headerMismatch("Mcp-Method header " + methods + " does not match body method '" + method + "'");
        }
        String nameParameter = NAMED.get(method);
        if (nameParameter != null && isRequest) {
            Object name = map.get("params") instanceof Map<?, ?> params ? params.get(nameParameter) : null;
            List<String> names = values(request, NAME_HEADER);
            String decoded = names.size() == 1 ? decode(names.get(0)) : null;
            if (decoded == null || !decoded.equals(name)) {
                return ProtocolError.headerMismatch("Mcp-Name header does not match body " + nameParameter);
            }
        }
        return null;
    }

    /**
     * Why the params of a request cannot be read as the SDK will read them, or {@code null}. The SDK's stateless
     * transport answers such params with 500 (it converts them outside its error handling); they are the client's
     * error, {@code -32602}.
     */
    static ProtocolError checkParams(Map<?, ?> message, McpJsonMapper json) {
        return RequestParams.check((String) message.get("method"), message.get("params"), json);
    }

    /** {@code params._meta["io.modelcontextprotocol/protocolVersion"]} of a message, or {@code null}. */
    static Object metaVersion(Object message) {
        return ProtocolEra.metaVersion(message);
    }

    private static List<String> values(HttpServletRequest request, String header) {
        return Collections.list(request.getHeaders(header));
    }

    /** A header value as sent, or decoded from the spec's Base64 sentinel form; {@code null} if the encoding is broken. */
    static String decode(String value) {
        if (!value.startsWith(BASE64_PREFIX) || !value.endsWith(BASE64_SUFFIX) || value.length() < BASE64_PREFIX.length() + BASE64_SUFFIX.length()) {
            return value;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value.substring(BASE64_PREFIX.length(), value.length() - BASE64_SUFFIX.length()));
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
