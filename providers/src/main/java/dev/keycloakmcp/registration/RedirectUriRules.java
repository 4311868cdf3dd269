package dev.keycloakmcp.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.keycloakmcp.core.KeycloakOrigins;
import dev.keycloakmcp.core.LoopbackHost;
import dev.keycloakmcp.core.Refusal;

/**
 * Which redirect URIs a self-registering MCP client may register (also applied to its post-logout redirect URIs).
 * Nobody vouches for such a client, so only URIs that deliver the code to the party that asked are accepted: https
 * anywhere, http on loopback only (RFC 8252 §7.3), private-use schemes ({@link #requireCodeReceiver}); never on
 * Keycloak's own origins ({@link KeycloakOrigins}), never with a query ({@link #requireAcceptable(String)}). A
 * {@code web} client (OpenID Connect Registration, MCP 2026-07-28) gets https only; a {@code native} one, or one that
 * does not say (older MCP clients), the native rules.
 */
final class RedirectUriRules {

    static final int MAX_URIS = 10;
    /** Keycloak stores each redirect URI in a 255-character column; longer ones would fail in the database. */
    static final int MAX_LENGTH = 255;

    private static final int MAX_PORT = 65535;
    /** Reverse-domain private-use scheme, e.g. {@code com.example.app}: at least one dot, RFC 3986 scheme chars. */
    private static final Pattern PRIVATE_USE_SCHEME = Pattern.compile("[a-z][a-z0-9+\\-]*(\\.[a-z0-9+\\-]+)+");
    /**
     * Private-use schemes of desktop MCP clients that are not in reverse-domain form, accepted without admin setup with
     * the authorities that client uses (other forms need the admin's allowance): Cursor registers
     * {@code cursor://anysphere.cursor-mcp/oauth/callback} (older versions {@code anysphere.cursor-retrieval}) in the same
     * body as its https and loopback URIs, and one refused URI fails its whole registration.
     */
    private static final Map<String, Set<String>> KNOWN_CLIENT_SCHEMES = Map.of("cursor",
            Set.of("anysphere.cursor-mcp", "anysphere.cursor-retrieval"));
    /** Schemes that are never a redirect target, whatever an admin allows. */
    private static final Set<String> NEVER = Set.of("javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss");

    private final boolean web;
    private final Set<String> allowedSchemes;
    private final KeycloakOrigins keycloak;

    private RedirectUriRules(boolean web, Set<String> allowedSchemes, KeycloakOrigins keycloak) {
        this.web = web;
        this.allowedSchemes = allowedSchemes;
        this.keycloak = keycloak;
    }

    /**
     * @param applicationType the client's {@code application_type}: {@code web}, {@code native} or null
     * @param allowedSchemes  private-use schemes the admin allows besides reverse-domain ones
     * @param keycloak        where Keycloak itself answers
     */
    public static RedirectUriRules of(String applicationType, Set<String> allowedSchemes, KeycloakOrigins keycloak) {
        return new RedirectUriRules("web".equals(applicationType), allowedSchemes, keycloak);
    }

    /** Refused ({@code invalid_redirect_uri}) unless every URI of the list is acceptable. */
    public void requireAcceptable(List<String> redirectUris) throws Refusal {
        if (redirectUris == null || redirectUris.isEmpty()) {
            throw Refusal.invalidRedirectUri("redirect_uris is required");
        }
        if (redirectUris.size() > MAX_URIS) {
            throw Refusal.invalidRedirectUri("At most " + MAX_URIS + " redirect_uris are accepted");
        }
        for (String redirectUri : redirectUris) {
            requireAcceptable(redirectUri);
        }
    }

    /**
     * Refused ({@code invalid_redirect_uri}) unless {@code redirectUri} is acceptable. No query: RFC 6749 §3.1.2 allows
     * one, but it makes the redirect URI a request of the client's choosing to whatever the host serves there (an
     * authorization endpoint with another client's parameters, a login page's "next") rather than a place that receives
     * a code; MCP clients receive codes at a fixed callback and carry per-request data in {@code state}.
     */
    public void requireAcceptable(String redirectUri) throws Refusal {
        if (redirectUri == null || redirectUri.isBlank()) {
            throw Refusal.invalidRedirectUri("Empty redirect URI");
        }
        if (redirectUri.length() > MAX_LENGTH) {
            throw Refusal.invalidRedirectUri("Redirect URI longer than " + MAX_LENGTH + " characters");
        }
        if (redirectUri.contains("*")) {
            throw Refusal.invalidRedirectUri("Wildcards are not allowed in redirect URIs: " + redirectUri);
        }
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (URISyntaxException e) {
            throw Refusal.invalidRedirectUri("Malformed redirect URI: " + redirectUri);
        }
        if (!uri.isAbsolute()) {
            throw Refusal.invalidRedirectUri("Redirect URI must be absolute: " + redirectUri);
        }
        if (uri.getRawFragment() != null) {
            throw Refusal.invalidRedirectUri("Redirect URI must not contain a fragment: " + redirectUri);
        }
        requireCodeReceiver(uri, redirectUri);
        if (uri.getRawQuery() != null) {
            throw Refusal.invalidRedirectUri("Redirect URI must not contain a query: " + redirectUri);
        }
    }

    /**
     * Whether the scheme and host may receive codes: https, loopback http, or a private-use scheme in reverse-domain
     * form (RFC 8252 §7.1), of a desktop MCP client many users run ({@code cursor:}) or allowed by the admin; not
     * Keycloak. A private-use scheme hands the code to whichever program on this computer claims it, as loopback does:
     * PKCE S256, required of every MCP client, keeps an intercepted code useless, and a client registering another's
     * scheme sends the code to that program, not to itself.
     */
    private void requireCodeReceiver(URI uri, String redirectUri) throws Refusal {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            requireHost(uri, redirectUri);
            if (web && LoopbackHost.of(uri)) {
                throw Refusal.invalidRedirectUri("A web application's redirect URI must not point at localhost: " + redirectUri);
            }
            requireNotKeycloak(uri, redirectUri);
            return;
        }
        if (web) {
            throw Refusal.invalidRedirectUri("A web application's redirect URIs must use https: " + redirectUri);
        }
        if (scheme.equals("http")) {
            requireHost(uri, redirectUri);
            if (!LoopbackHost.of(uri)) {
                throw Refusal.invalidRedirectUri("http redirect URIs are only allowed for loopback addresses (localhost, 127.0.0.1, [::1]): " + redirectUri);
            }
            requireNotKeycloak(uri, redirectUri);
            return;
        }
        boolean knownClient = uri.getRawAuthority() != null && KNOWN_CLIENT_SCHEMES.getOrDefault(scheme, Set.of()).contains(uri.getRawAuthority());
        boolean privateUse = !NEVER.contains(scheme)
                && (PRIVATE_USE_SCHEME.matcher(scheme).matches() || knownClient || allowedSchemes.contains(scheme));
        if (!privateUse) {
            throw Refusal.invalidRedirectUri("Redirect URI scheme '" + scheme + "' is not allowed: " + redirectUri);
        }
    }

    /**
     * A loopback URI without port is Keycloak's own when Keycloak listens on port 80 of this computer; one with
     * another port is a native client's (RFC 8252 §7.3) even when Keycloak runs on this computer too.
     */
    private void requireNotKeycloak(URI uri, String original) throws Refusal {
        Optional<String> origin = keycloak.originOf(uri);
        if (origin.isPresent()) {
            throw Refusal.invalidRedirectUri("Redirect URI points at this server itself (" + origin.get()
                    + "), so the code would go back to Keycloak instead of the client: " + original);
        }
    }

    private static void requireHost(URI uri, String original) throws Refusal {
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw Refusal.invalidRedirectUri("Redirect URI must name a host: " + original);
        }
        if (uri.getRawUserInfo() != null) {
            throw Refusal.invalidRedirectUri("Redirect URI must not contain user information: " + original);
        }
        if (uri.getPort() > MAX_PORT) {
            throw Refusal.invalidRedirectUri("Redirect URI port out of range: " + original);
        }
    }
}
