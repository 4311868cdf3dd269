package dev.keycloakmcp.quarkus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.Tool.Annotations;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The sample's four tools. They run only for requests {@link McpScopes} let through, so the caller is signed in and
 * holds every scope the tool needs; they see who through Quarkus' {@link SecurityIdentity}, never the token.
 */
@Singleton
public class Tools {

    /** Notes in memory, per user: a sample, not storage. */
    private final Map<String, List<String>> notes = new ConcurrentHashMap<>();

    @Inject
    SecurityIdentity identity;

    @Tool(description = "Who signed in: the username of the token's user. Needs mcp:tools.",
            annotations = @Annotations(readOnlyHint = true, destructiveHint = false))
    String whoami() {
        return identity.getPrincipal().getName();
    }

    @Tool(description = "Answers the text it is given. Needs mcp:tools.", annotations = @Annotations(readOnlyHint = true, destructiveHint = false))
    String echo(@ToolArg(description = "The text to answer") String text) {
        return text;
    }

    @Tool(name = McpScopes.WRITE_TOOL, description = "Keeps a note for the signed-in user. Needs mcp:tools and mcp:tools:write.",
            annotations = @Annotations(readOnlyHint = false, destructiveHint = false))
    String addNote(@ToolArg(description = "The note") String text) {
        List<String> mine = notes.computeIfAbsent(identity.getPrincipal().getName(), user -> new CopyOnWriteArrayList<>());
        mine.add(text);
        return "Noted (" + mine.size() + ")";
    }

    @Tool(name = "list_notes", description = "The signed-in user's notes, one a line. Needs mcp:tools.",
            annotations = @Annotations(readOnlyHint = true, destructiveHint = false))
    String listNotes() {
        return String.join("\n", notes.getOrDefault(identity.getPrincipal().getName(), List.of()));
    }
}
