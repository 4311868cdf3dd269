package dev.keycloakmcp.resourceserver;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import io.modelcontextprotocol.spec.ProtocolVersions;

/**
 * Which era of MCP a request belongs to. Clients of 2025-xx open a session with {@code initialize} and name it in
 * {@code Mcp-Session-Id}, which the guard binds to the user who opened it; clients of 2026-07-28 are stateless,
 * carry their protocol version on every request ({@code MCP-Protocol-Version}, {@code params._meta}) and a session id
 * on their requests means nothing (the spec's rule), so it is not checked.
 */
public final class ProtocolEra {

    public static final String VERSION_HEADER = "MCP-Protocol-Version";
    /** Where a 2026-07-28 request carries its version in the body. */
    public static final String META_VERSION = "io.modelcontextprotocol/protocolVersion";

    /** Versions of the {@code initialize} era: served in sessions. */
    private static final Set<String> SESSION_VERSIONS = Set.of(ProtocolVersions.MCP_2024_11_05, ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    private ProtocolEra() {
    }

    /**
     * Whether a request is a stateless (2026-07-28) one: its version header names a version outside the
     * {@code initialize} era, or its body carries a per-request protocol version. An {@code initialize} never is: it
     * opens a 2025-xx session whatever it says (a dual-era server, spec "Versioning").
     *
     * @param message the parsed body, {@code null} for a request without one
     */
    public static boolean isStateless(HttpServletRequest request, Object message) {
        if (message instanceof Map<?, ?> map && "initialize".equals(map.get("method"))) {
            return false;
        }
        String version = request.getHeader(VERSION_HEADER);
        if (version != null && !SESSION_VERSIONS.contains(version)) {
            return true;
        }
        if (message instanceof List<?> batch) {
            return batch.stream().anyMatch(item -> metaVersion(item) != null);
        }
        return metaVersion(message) != null;
    }

    /** The protocol version in a message's {@code params._meta}, or {@code null}. */
    public static Object metaVersion(Object message) {
        if (message instanceof Map<?, ?> map && map.get("params") instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> meta) {
            return meta.get(META_VERSION);
        }
        return null;
    }
}
