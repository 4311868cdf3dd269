package dev.keycloakmcp.resourceserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How a request presents its access token. Only the {@code Authorization} header is accepted, with the
 * {@code Bearer} (RFC 6750 §2.1) or {@code DPoP} (RFC 9449 §7.1) scheme: query strings end up in logs and browser
 * history, and a form body is not what an MCP endpoint takes, so a token there is refused even when the header is
 * also present.
 *
 * @param dpop the token came with the {@code DPoP} scheme, so the request must carry a proof of possession
 */
record BearerToken(Presentation presentation, String value, boolean dpop) {

    public enum Presentation {
        /** No bearer credentials: 401 without an error code, the start of the MCP authorization flow. */
        MISSING,
        /** A bearer token that cannot be one (RFC 6750 b64token syntax, size): 401 {@code invalid_token}. */
        MALFORMED,
        /** A token outside the header, or more than one Authorization header: 400 {@code invalid_request}. */
        NOT_IN_HEADER,
        /** A token to verify. */
        PRESENTED
    }

    /** Longest token accepted; Keycloak's access tokens are a few kilobytes at most. */
    static final int MAX_LENGTH = 16 * 1024;
    private static final String SCHEME = "bearer";
    private static final String DPOP_SCHEME = "dpop";

    public static BearerToken of(List<String> authorizationHeaders, String queryString, String contentType) {
        if (hasAccessTokenParameter(queryString)
                || (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))
                || authorizationHeaders.size() > 1) {
            return new BearerToken(Presentation.NOT_IN_HEADER, null, false);
        }
        if (authorizationHeaders.isEmpty()) {
            return new BearerToken(Presentation.MISSING, null, false);
        }
        String header = authorizationHeaders.get(0).strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        boolean dpop = lowerScheme.equals(DPOP_SCHEME);
        if (!dpop && !lowerScheme.equals(SCHEME)) {
            return new BearerToken(Presentation.MISSING, null, false);
        }
        String token = space < 0 ? "" : header.substring(space + 1).strip();
        if (token.length() > MAX_LENGTH || !isB64Token(token)) {
            return new BearerToken(Presentation.MALFORMED, null, dpop);
        }
        return new BearerToken(Presentation.PRESENTED, token, dpop);
    }

    /**
     * RFC 6750 §2.1 {@code b64token}: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. A plain loop:
     * this runs on every request and a regular expression over a kilobyte-long token was the filter's main cost.
     */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasAccessTokenParameter(String queryString) {
        if (queryString == null) {
            return false;
        }
        for (String pair : queryString.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            try {
                if (URLDecoder.decode(name, StandardCharsets.UTF_8).equalsIgnoreCase("access_token")) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // A parameter name that does not decode is not access_token.
            }
        }
        return false;
    }
}
