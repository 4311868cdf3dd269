package dev.keycloakmcp.cimd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.keycloakmcp.core.LoopbackHost;
import dev.keycloakmcp.core.Refusal;

/**
 * A {@code client_id} that is the URL of a Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document).
 * Its shape ({@link #parse}): https, a host (not ending with a dot, which would slip past the domain lists), a port in
 * range, a path (not just "/"), no user info, fragment or dot segments, at most 255 characters; a query is allowed.
 * The development allowance accepts {@code http} for loopback hosts only.
 */
record ClientIdUrl(URI uri) {

    /** Whether {@code clientId} is meant as a document URL at all (so that other client ids are left to Keycloak). */
    public static boolean looksLikeUrl(String clientId) {
        if (clientId == null) {
            return false;
        }
        String lower = clientId.toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    /** Keycloak stores a client id in a 255-character column. */
    static final int MAX_LENGTH = 255;

    /** The URL; refused ({@code invalid_client}) when it cannot be a client id. */
    public static ClientIdUrl parse(String clientId, boolean allowLoopbackHttp) throws Refusal {
        if (clientId.length() > MAX_LENGTH) {
            throw Refusal.invalidClient("client_id URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(clientId);
        } catch (URISyntaxException e) {
            throw Refusal.invalidClient("client_id is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("https") && !(scheme.equals("http") && allowLoopbackHttp && LoopbackHost.is(uri.getHost()))) {
            throw Refusal.invalidClient("client_id URL must use https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Refusal.invalidClient("client_id URL must name a host");
        }
        if (uri.getHost().endsWith(".")) {
            throw Refusal.invalidClient("client_id URL host must not end with a dot");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw Refusal.invalidClient("client_id URL port is out of range");
        }
        if (uri.getRawUserInfo() != null) {
            throw Refusal.invalidClient("client_id URL must not contain user info");
        }
        if (uri.getRawFragment() != null) {
            throw Refusal.invalidClient("client_id URL must not contain a fragment");
        }
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            throw Refusal.invalidClient("client_id URL must have a path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..") || segment.equalsIgnoreCase("%2e") || segment.equalsIgnoreCase("%2e%2e")
                    || segment.equalsIgnoreCase(".%2e") || segment.equalsIgnoreCase("%2e.")) {
                throw Refusal.invalidClient("client_id URL must not contain dot segments");
            }
        }
        return new ClientIdUrl(uri);
    }

    /** Host of the document: what the consent page shows as the client's origin. */
    public String host() {
        return uri.getHost().toLowerCase(Locale.ROOT);
    }
}
