package dev.keycloakmcp.consent;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

import org.keycloak.OAuth2Constants;
import org.keycloak.models.ClientModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.keycloakmcp.core.LoopbackHost;
import dev.keycloakmcp.core.McpClientKind;
import dev.keycloakmcp.core.ResourceServers;

/**
 * What the login and consent pages tell a person about an MCP authorization request, exposed to FreeMarker as {@code mcp}.
 * Which MCP server is being granted, where the code goes, whether the client registered itself: computed here so
 * that the templates only render it.
 */
public final class McpAuthorizationBean {

    private final String clientName;
    private final boolean selfRegistered;
    private final boolean registeredByOrganisation;
    private final String resourceName;
    private final String resourceUrl;
    private final String redirectHost;
    private final boolean redirectLoopback;
    private final String logoUrl;
    private final String websiteUrl;
    private final String documentHost;
    private final boolean loopbackOnly;

    private McpAuthorizationBean(String clientName, boolean selfRegistered, boolean registeredByOrganisation, String resourceName,
            String resourceUrl, String redirectHost, boolean redirectLoopback, String logoUrl, String websiteUrl,
            String documentHost, boolean loopbackOnly) {
        this.clientName = clientName;
        this.selfRegistered = selfRegistered;
        this.registeredByOrganisation = registeredByOrganisation;
        this.resourceName = resourceName;
        this.resourceUrl = resourceUrl;
        this.redirectHost = redirectHost;
        this.redirectLoopback = redirectLoopback;
        this.logoUrl = logoUrl;
        this.websiteUrl = websiteUrl;
        this.documentHost = documentHost;
        this.loopbackOnly = loopbackOnly;
    }

    /** Present for MCP clients and for any request that names a registered MCP server. */
    static Optional<McpAuthorizationBean> of(AuthenticationSessionModel authSession) {
        if (authSession == null || authSession.getClient() == null) {
            return Optional.empty();
        }
        ClientModel client = authSession.getClient();
        Optional<ClientModel> server = Optional.ofNullable(authSession.getClientNote(OAuth2Constants.RESOURCE))
                .flatMap(resource -> ResourceServers.find(authSession.getRealm(), resource));
        Optional<McpClientKind> kind = McpClientKind.of(client);
        if (kind.isEmpty() && server.isEmpty()) {
            return Optional.empty();
        }
        URI redirect = parseUri(authSession.getClientNote(OIDCLoginProtocol.REDIRECT_URI_PARAM));
        String name = client.getName() == null || client.getName().isBlank() ? client.getClientId() : client.getName();
        // A document may say anything about itself: its website and logo are shown only from its own host.
        String documentHost = kind.filter(k -> k == McpClientKind.METADATA_DOCUMENT).map(k -> documentHost(client.getClientId())).orElse(null);
        return Optional.of(new McpAuthorizationBean(
                name,
                kind.map(McpClientKind::isSelfRegistered).orElse(false),
                // Only an MCP client an admin marked as such; of other clients the pack knows nothing.
                kind.filter(k -> k == McpClientKind.PREREGISTERED).isPresent(),
                server.map(ResourceServers::displayName).orElse(null),
                server.map(ResourceServers::resourceOf).orElse(null),
                redirect == null ? null : whereTheAnswerGoes(redirect),
                redirect != null && isOnThisComputer(redirect),
                // The registration's logo_uri (Keycloak's logoUri attribute) and client_uri (its home URL).
                publishedBy(webUrl(client.getAttribute(ClientModel.LOGO_URI), true), documentHost),
                publishedBy(webUrl(client.getBaseUrl(), false), documentHost),
                documentHost,
                // Not in the device flow (no redirect URI): its token goes to the device that polls, not to this computer.
                redirect != null && kind.map(McpClientKind::isSelfRegistered).orElse(false) && isLoopbackOnly(client.getRedirectUris())));
    }

    /**
     * {@code url} if the host that published the client's document ({@code documentHost}; null for other clients)
     * serves it or a subdomain of that host does; otherwise null — a document on evil.example does not get to show
     * claude.ai as its website or Claude's logo (nor one on x.github.io github.io's).
     */
    static String publishedBy(String url, String documentHost) {
        if (url == null || documentHost == null) {
            return url;
        }
        String host = URI.create(url).getHost().toLowerCase(java.util.Locale.ROOT);
        String publisher = documentHost.toLowerCase(java.util.Locale.ROOT);
        return host.equals(publisher) || host.endsWith("." + publisher) ? url : null;
    }

    /** Host of a metadata-document client's URL client_id (ASCII: other hosts are refused as client ids). */
    static String documentHost(String clientId) {
        URI uri = parseUri(clientId);
        return uri == null ? null : uri.getHost();
    }

    /**
     * A client whose every redirect URI is on this computer (loopback, or an app's own scheme): any local program can
     * claim to be it (MCP asks servers to warn about such clients).
     */
    static boolean isLoopbackOnly(Set<String> redirectUris) {
        return redirectUris != null && !redirectUris.isEmpty() && redirectUris.stream().map(McpAuthorizationBean::parseUri)
                .allMatch(uri -> uri != null && isOnThisComputer(uri));
    }

    /**
     * Loopback, or an app's own scheme ({@code cursor:}, {@code com.example.app:}), which hands the code to whichever
     * program on this computer claims the scheme, whatever host the URI names.
     */
    static boolean isOnThisComputer(URI redirect) {
        return !isWeb(redirect) || LoopbackHost.of(redirect);
    }

    /** The host for a web URI; for an app's own scheme the scheme itself: the host it names is not where the code goes. */
    static String whereTheAnswerGoes(URI redirect) {
        return isWeb(redirect) && redirect.getHost() != null ? redirect.getHost() : redirect.getScheme() + ":";
    }

    private static boolean isWeb(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return scheme.equals("https") || scheme.equals("http");
    }

    /**
     * A URL the page may show: absolute, with a host, https (or http when {@code httpsOnly} is false). A logo is
     * fetched by the browser from the sign-in page, so only https ones are shown; anything else gets a placeholder.
     */
    static String webUrl(String value, boolean httpsOnly) {
        URI uri = parseUri(value);
        if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        // ASCII form: no bidirectional or look-alike characters in what the page shows or loads.
        return scheme.equals("https") || (!httpsOnly && scheme.equals("http")) ? uri.toASCIIString() : null;
    }

    private static URI parseUri(String value) {
        if (value == null) {
            return null;
        }
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public String getClientName() {
        return clientName;
    }

    public boolean isSelfRegistered() {
        return selfRegistered;
    }

    /** An MCP client an admin created and marked as {@code preregistered}. */
    public boolean isRegisteredByOrganisation() {
        return registeredByOrganisation;
    }

    public String getResourceName() {
        return resourceName;
    }

    public String getResourceUrl() {
        return resourceUrl;
    }

    public String getRedirectHost() {
        return redirectHost;
    }

    public boolean isRedirectLoopback() {
        return redirectLoopback;
    }

    /** The client's logo (https only), or null for the placeholder. */
    public String getLogoUrl() {
        return logoUrl;
    }

    /** The client's website (http or https), or null. */
    public String getWebsiteUrl() {
        return websiteUrl;
    }

    /** For a client identified by a metadata document: the host that published it; null otherwise. */
    public String getDocumentHost() {
        return documentHost;
    }

    /** A self-registered client that only receives codes on this computer. */
    public boolean isLoopbackOnly() {
        return loopbackOnly;
    }

    /** First letter of the client's name, for the placeholder logo. */
    public String getInitial() {
        return clientName.isEmpty() ? "?" : clientName.substring(0, clientName.offsetByCodePoints(0, 1)).toUpperCase(java.util.Locale.ROOT);
    }
}
