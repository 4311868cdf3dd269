package dev.keycloakmcp.resourceserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * The JSON-RPC body of an MCP POST, read once by the filter to decide the scopes it needs and then replayed to the
 * MCP SDK. The filter must see exactly the message the SDK will act on, so it accepts only what both read alike:
 * UTF-8 (declared or by default, as the SDK assumes), strictly decoded, and valid JSON. Anything else is refused
 * here, never waved through with fewer scopes.
 */
public final class McpRequestBody {

    /** Why a body is refused, with the HTTP status to answer. */
    public enum Refusal {
        TOO_LARGE(413), NOT_UTF_8(415), NOT_JSON(400);

        public final int status;

        Refusal(int status) {
            this.status = status;
        }
    }

    private final byte[] bytes;
    private final Object message;
    private final Refusal refusal;

    private McpRequestBody(byte[] bytes, Object message, Refusal refusal) {
        this.bytes = bytes;
        this.message = message;
        this.refusal = refusal;
    }

    public static McpRequestBody read(HttpServletRequest request, int maxBytes, McpJsonMapper json) throws IOException {
        String charset = request.getCharacterEncoding();
        if (charset != null && !charset.toUpperCase(Locale.ROOT).replace("_", "-").equals("UTF-8")) {
            return new McpRequestBody(null, null, Refusal.NOT_UTF_8);
        }
        byte[] bytes = request.getInputStream().readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            return new McpRequestBody(null, null, Refusal.TOO_LARGE);
        }
        return parse(bytes, json);
    }

    static McpRequestBody parse(byte[] bytes, McpJsonMapper json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new McpRequestBody(null, null, Refusal.NOT_UTF_8);
        }
        try {
            // Parsed from the decoded text with the SDK's own mapper, as the SDK parses it.
            Object message = json.readValue(text, Object.class);
            return message == null ? new McpRequestBody(null, null, Refusal.NOT_JSON) : new McpRequestBody(bytes, message, null);
        } catch (IOException | RuntimeException e) {
            return new McpRequestBody(null, null, Refusal.NOT_JSON);
        }
    }

    /** Why the body is refused, or {@code null} when it is a JSON message. */
    public Refusal refusal() {
        return refusal;
    }

    /** The parsed JSON: a JSON-RPC message (map) or a batch (list). */
    public Object message() {
        return message;
    }

    /** The body as received, for the MCP servlet. */
    public HttpServletRequest replayTo(HttpServletRequest request) {
        return new BufferedBodyRequest(request, bytes);
    }

    /** Answers a refused body: a JSON-RPC parse error with the refusal's status. */
    public void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(refusal.status);
        response.setContentType("application/json");
        response.getWriter().write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
                + "\"message\":\"The body must be one JSON-RPC message or batch in UTF-8, at most 1 MiB\"}}");
    }
}
