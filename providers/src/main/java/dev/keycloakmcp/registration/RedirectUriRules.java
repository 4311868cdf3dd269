package dev.keycloakmcp.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which redirect URIs a self-registering MCP client may use. Nobody vouches for such a client, so only URIs
 * that deliver the code to the party that asked for it are accepted: https anywhere, http only to this
 * computer (RFC 8252 §7.3 loopback), and private-use schemes in reverse-domain form (RFC 8252 §7.1).
 */
public final class RedirectUriRules {

    static final int MAX_URIS = 10;
    /** Keycloak stores each redirect URI in a 255-character column; longer ones would fail in the database. */
    static final int MAX_LENGTH = 255;

    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    /** Reverse-domain private-use scheme, e.g. {@code com.example.app}: at least one dot, RFC 3986 scheme chars. */
    private static final Pattern PRIVATE_USE_SCHEME = Pattern.compile("[a-z][a-z0-9+\\-]*(\\.[a-z0-9+\\-]+)+");

    private RedirectUriRules() {
    }

    /** The reason the list is refused, or empty when every URI is acceptable. */
    public static Optional<String> check(List<String> redirectUris) {
        if (redirectUris == null || redirectUris.isEmpty()) {
            return Optional.of("redirect_uris is required");
        }
        if (redirectUris.size() > MAX_URIS) {
            return Optional.of("At most " + MAX_URIS + " redirect_uris are accepted");
        }
        for (String redirectUri : redirectUris) {
            Optional<String> refusal = check(redirectUri);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }

    public static Optional<String> check(String redirectUri) {
        if (redirectUri == null || redirectUri.isBlank()) {
            return Optional.of("Empty redirect URI");
        }
        if (redirectUri.length() > MAX_LENGTH) {
            return Optional.of("Redirect URI longer than " + MAX_LENGTH + " characters");
        }
        if (redirectUri.contains("*")) {
            return Optional.of("Wildcards are not allowed in redirect URIs: " + redirectUri);
        }
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (URISyntaxException e) {
            return Optional.of("Malformed redirect URI: " + redirectUri);
        }
        if (!uri.isAbsolute()) {
            return Optional.of("Redirect URI must be absolute: " + redirectUri);
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("Redirect URI must not contain a fragment: " + redirectUri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "https":
                return checkHierarchical(uri, redirectUri);
            case "http":
                Optional<String> refusal = checkHierarchical(uri, redirectUri);
                if (refusal.isPresent()) {
                    return refusal;
                }
                return isLoopback(uri) ? Optional.empty()
                        : Optional.of("http redirect URIs are only allowed for loopback addresses (localhost, 127.0.0.1, [::1]): " + redirectUri);
            default:
                return PRIVATE_USE_SCHEME.matcher(scheme).matches() ? Optional.empty()
                        : Optional.of("Redirect URI scheme '" + scheme + "' is not allowed: " + redirectUri);
        }
    }

    /** True for a URI that points at this computer, which is what RFC 8252 allows to use any port. */
    public static boolean isLoopback(URI uri) {
        return uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }

    private static Optional<String> checkHierarchical(URI uri, String original) {
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("Redirect URI must name a host: " + original);
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("Redirect URI must not contain user information: " + original);
        }
        return Optional.empty();
    }
}
