package dev.keycloakmcp.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 8707 resource indicators as MCP uses them: an absolute http(s) URI without fragment, in canonical form.
 * MCP prescribes the form (lowercase scheme and host, no trailing slash), so that {@code HTTP://Localhost:3000/mcp/}
 * and {@code http://localhost:3000/mcp} name the same server.
 */
public final class ResourceIndicator {

    /** Longer values are refused outright: no MCP server URL is this long, and it bounds the lookup. */
    static final int MAX_LENGTH = 2048;

    private ResourceIndicator() {
    }

    public static Optional<String> canonical(String resource) {
        if (resource == null || resource.isBlank() || resource.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(resource.trim());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.empty();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder canonical = new StringBuilder(scheme).append("://").append(uri.getHost().toLowerCase(Locale.ROOT));
        if (uri.getPort() != -1) {
            canonical.append(':').append(uri.getPort());
        }
        canonical.append(path);
        if (uri.getRawQuery() != null) {
            canonical.append('?').append(uri.getRawQuery());
        }
        return Optional.of(canonical.toString());
    }
}
