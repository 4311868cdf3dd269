package dev.keycloakmcp.registration;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.keycloak.representations.oidc.OIDCClientRepresentation;
import org.keycloak.util.JsonSerialization;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import dev.keycloakmcp.core.Refusal;

/**
 * The one strict parser of client metadata JSON, for registration bodies and Client ID Metadata Documents alike.
 * The syntax: UTF-8 (RFC 8259 §8.1), one JSON object and nothing after it, each member once, strings of whole Unicode
 * characters (no unpaired surrogate, which other parsers would reject or replace), and each member RFC 7591 knows with
 * its own JSON type ({@code "scope": 5} is not a string). Unknown members are ignored (RFC 7591 §2). A refusal is
 * {@code invalid_client_metadata} naming what is wrong.
 */
public final class ClientMetadataJson {

    private static final ObjectMapper STRICT = strictMapper();

    private ClientMetadataJson() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonSerialization.mapper.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        // Jackson turns scalars into one another by default ("5" for 5, 1 for true); client metadata does not.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /** The JSON object in {@code utf8}, checked as the type says. */
    public static ObjectNode read(byte[] utf8) throws Refusal {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw Refusal.invalidClientMetadata("The client metadata is not valid UTF-8");
        }
        return read(text);
    }

    /** The JSON object in {@code text}, checked as the type says. */
    public static ObjectNode read(String text) throws Refusal {
        JsonNode tree;
        try {
            tree = STRICT.readTree(text);
        } catch (JsonParseException e) {
            String message = String.valueOf(e.getOriginalMessage());
            throw Refusal.invalidClientMetadata(message.startsWith("Duplicate field")
                    ? "The client metadata has a member more than once: " + message.substring("Duplicate field".length()).trim()
                    : "The client metadata is not valid JSON");
        } catch (JsonMappingException e) {
            throw Refusal.invalidClientMetadata("The client metadata has data after its JSON object");
        } catch (JsonProcessingException e) {
            throw Refusal.invalidClientMetadata("The client metadata is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw Refusal.invalidClientMetadata("The client metadata is not a JSON object");
        }
        requireWholeCharacters(tree, null);
        return (ObjectNode) tree;
    }

    /** {@code members} (from {@link #read}, hence whole characters) as client metadata, each member RFC 7591 knows with its own type. */
    public static OIDCClientRepresentation bind(ObjectNode members) throws Refusal {
        try {
            return STRICT.treeToValue(members, OIDCClientRepresentation.class);
        } catch (JsonMappingException e) {
            String member = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            throw Refusal.invalidClientMetadata(member == null ? "The client metadata has a member of the wrong type"
                    : "The client metadata member '" + member + "' has the wrong type");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Refusal.invalidClientMetadata("The client metadata is not valid client metadata");
        }
    }

    /** Refuses a string (member name or value) with an unpaired surrogate, naming the top-level member it is in. */
    private static void requireWholeCharacters(JsonNode node, String member) throws Refusal {
        if (node.isTextual()) {
            requireWholeCharacters(node.textValue(), member);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                requireWholeCharacters(field.getKey(), member);
                requireWholeCharacters(field.getValue(), member == null ? field.getKey() : member);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                requireWholeCharacters(element, member);
            }
        }
    }

    private static void requireWholeCharacters(String text, String member) throws Refusal {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw Refusal.invalidClientMetadata(member == null
                        ? "The client metadata has a member name that is not valid Unicode (an unpaired surrogate)"
                        : "The client metadata member '" + member + "' is not valid Unicode (an unpaired surrogate)");
            }
        }
    }
}
