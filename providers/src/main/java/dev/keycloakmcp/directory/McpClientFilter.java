package dev.keycloakmcp.directory;

import java.util.Locale;
import java.util.Optional;

import dev.keycloakmcp.core.McpClientKind;

/**
 * Which of the realm's MCP clients an admin asks for: of one kind, published by one host, or not used since a time.
 *
 * @param kind        how the client came; empty: every kind
 * @param host        the publishing host of metadata-document clients, lower case
 * @param unusedSince epoch seconds: only clients whose last use is before
 */
public record McpClientFilter(Optional<McpClientKind> kind, Optional<String> host, Optional<Long> unusedSince) {

    public static final McpClientFilter ALL = new McpClientFilter(Optional.empty(), Optional.empty(), Optional.empty());

    public McpClientFilter {
        host = host.map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty());
    }
}
