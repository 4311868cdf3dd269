package dev.keycloakmcp.spring;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.modelcontextprotocol.common.McpTransportContext;

import org.springframework.ai.mcp.annotation.McpTool;
import org.springframework.ai.mcp.annotation.McpToolParam;
import org.springframework.stereotype.Component;

/**
 * The sample's tools, the same as the plain sample server's. Each takes the caller from the MCP transport context;
 * {@code add_note}'s extra scope is checked before it runs ({@link ToolScopeFilter}), not here.
 */
@Component
class NoteTools {

    /** Notes per user, in memory: a sample. */
    private final Map<String, List<String>> notes = new ConcurrentHashMap<>();

    @McpTool(name = "whoami", description = "The signed-in user's name. Needs scope: mcp:tools",
            annotations = @McpTool.McpAnnotations(readOnlyHint = true))
    String whoami(McpTransportContext context) {
        return McpCaller.from(context).username();
    }

    @McpTool(name = "echo", description = "Returns the text it is given. Needs scope: mcp:tools",
            annotations = @McpTool.McpAnnotations(readOnlyHint = true))
    String echo(McpTransportContext context, @McpToolParam(description = "The text to echo") String text) {
        McpCaller.from(context);
        return text;
    }

    @McpTool(name = "list_notes", description = "The signed-in user's notes. Needs scope: mcp:tools",
            annotations = @McpTool.McpAnnotations(readOnlyHint = true))
    List<String> listNotes(McpTransportContext context) {
        return List.copyOf(notes.getOrDefault(McpCaller.from(context).username(), List.of()));
    }

    @McpTool(name = "add_note", description = "Adds a note for the signed-in user. Needs scope: mcp:tools mcp:tools:write",
            annotations = @McpTool.McpAnnotations(readOnlyHint = false, destructiveHint = false))
    String addNote(McpTransportContext context, @McpToolParam(description = "The note") String text) {
        notes.computeIfAbsent(McpCaller.from(context).username(), user -> new CopyOnWriteArrayList<>()).add(text);
        return "Noted";
    }
}
