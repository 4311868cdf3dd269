package dev.keycloakmcp.sample.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema;

import dev.keycloakmcp.sample.SampleServerConfig;
import dev.keycloakmcp.resourceserver.AccessGrant;
import dev.keycloakmcp.sample.onbehalf.DownstreamProfile;

/**
 * The sample's tools. Reading tools need the base scope; {@code add_note} changes data and also needs the write
 * scope. {@code tools/list} states each tool's scopes in its description and in {@code _meta}. The signed-in user
 * reaches the tools through the MCP transport context, never a global. The caller's token is used by
 * {@code downstream_profile} alone, and only as the subject of a token exchange at Keycloak: it is never passed on.
 */
public final class SampleTools {

    private SampleTools() {
    }

    public static List<ScopedTool> all(SampleServerConfig config, Notebook notebook, DownstreamProfile downstream) {
        Set<String> write = Set.of(config.writeScope());
        return List.of(
                tool(config, "whoami", "Returns the username of the person who authorized this MCP client, or the machine "
                        + "client calling for itself", Map.of(), Set.of(), (context, request) -> text(caller(grant(context)))),
                tool(config, "echo", "Returns the given text", Map.of("text", "Text to echo"), Set.of(),
                        (context, request) -> text(String.valueOf(request.arguments().get("text")))),
                tool(config, "list_notes", "Lists the notes of the signed-in user", Map.of(), Set.of(),
                        (context, request) -> text(String.join("\n", notebook.list(grant(context).subject())))),
                tool(config, "add_note", "Adds a note for the signed-in user", Map.of("text", "The note"), write,
                        (context, request) -> {
                            if (!(request.arguments().get("text") instanceof String note)) {
                                return error("'text' must be a string");
                            }
                            try {
                                notebook.add(grant(context).subject(), note);
                            } catch (IllegalArgumentException e) {
                                return error(e.getMessage());
                            }
                            return text("Noted");
                        }),
                // On behalf of the user: a token exchanged at Keycloak for the downstream API, never the caller's token.
                tool(config, "downstream_profile", "Returns the signed-in user's profile from the downstream API, called as "
                        + "that user with a token Keycloak issued for that API (token exchange)", Map.of(), Set.of(),
                        (context, request) -> downstream.call(context)));
    }

    private static ScopedTool tool(SampleServerConfig config, String name, String description, Map<String, String> stringArguments,
            Set<String> extraScopes, BiFunction<McpTransportContext, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        List<String> scopes = new ArrayList<>();
        scopes.add(config.requiredScope());
        scopes.addAll(extraScopes);
        Map<String, Object> properties = new LinkedHashMap<>();
        stringArguments.forEach((argument, about) -> properties.put(argument, Map.of("type", "string", "description", about)));
        McpSchema.Tool tool = McpSchema.Tool.builder()
                .name(name)
                .description(description + ". Needs scope: " + String.join(" ", scopes))
                .inputSchema(Map.of("type", "object", "properties", properties, "required", List.copyOf(stringArguments.keySet())))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(extraScopes.isEmpty()).build())
                .meta(Map.of(ScopedTool.SCOPES_META_KEY, scopes))
                .build();
        return new ScopedTool(tool, handler, extraScopes);
    }

    /** The user's name; for a machine client's own token (client credentials), which client it is and that no user is. */
    static String caller(AccessGrant grant) {
        return grant.isClientItself() ? grant.clientId() + " (machine client, no user)" : grant.username();
    }

    private static AccessGrant grant(McpTransportContext context) {
        return AccessGrant.of(context);
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }

    private static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
