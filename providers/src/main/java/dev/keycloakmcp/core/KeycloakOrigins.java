package dev.keycloakmcp.core;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.keycloak.Config;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.urls.UrlType;

/**
 * The origins (scheme, host, port) at which this Keycloak answers, where no authorization response may go.
 * A redirect URI there hands the response back to Keycloak, whose endpoints pass the browser on (its authorization
 * endpoint, given a query naming another client, redirects to that client at once): the consent page would name this
 * server while the code ends up elsewhere. Other names of the same server (DNS aliases) cannot be known here; that the
 * code travels only in the query, which no redirect keeps, stops it there
 * ({@link dev.keycloakmcp.authorization.AuthorizationRequestRules#requireQueryResponseMode}).
 */
public final class KeycloakOrigins {

    private static final String HOSTNAME_SPI = "hostname";
    private static final String HOSTNAME_PROVIDER = "v2";
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Origin(String scheme, String host, int port) {

        static Optional<Origin> of(URI uri) {
            if (uri == null || uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(scheme);
            return Optional.of(new Origin(scheme, host, port));
        }

        /**
         * Same scheme, port and host. When Keycloak is on this computer (the demo: {@code http://localhost:8080}),
         * every loopback name reaches it, so all of them count as one host; a native client's loopback redirect on
         * another port is someone else (RFC 8252 §7.3).
         */
        boolean sameAs(Origin other) {
            return scheme.equals(other.scheme) && port == other.port
                    && (host.equals(other.host) || (isLoopbackHost(host) && isLoopbackHost(other.host)));
        }

        @Override
        public String toString() {
            return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
        }
    }

    private final List<Origin> origins;

    private KeycloakOrigins(List<Origin> origins) {
        this.origins = origins;
    }

    /** The origins of the base URLs {@code bases} (scheme, host and port count; paths do not). */
    public static KeycloakOrigins of(Collection<URI> bases) {
        Set<Origin> origins = new LinkedHashSet<>();
        for (URI base : bases) {
            Origin.of(base).ifPresent(origins::add);
        }
        return new KeycloakOrigins(List.copyOf(origins));
    }

    /**
     * Where Keycloak answers for the realm of the current request, from what Keycloak itself uses: the URL the request
     * came to (proxy headers applied), its frontend, backend and admin URLs (the realm's frontend URL when set, else the
     * server's {@code hostname} option), the realm's frontend URL and the {@code hostname} and {@code hostname-admin}
     * options themselves.
     */
    public static KeycloakOrigins of(KeycloakSession session) {
        KeycloakContext context = session.getContext();
        List<URI> bases = new ArrayList<>();
        URI request = add(bases, () -> context.getUri().getDelegate().getBaseUri());
        add(bases, () -> context.getUri(UrlType.FRONTEND).getBaseUri());
        add(bases, () -> context.getUri(UrlType.BACKEND).getBaseUri());
        add(bases, () -> context.getUri(UrlType.ADMIN).getBaseUri());
        RealmModel realm = context.getRealm();
        if (realm != null) {
            add(bases, () -> URI.create(realm.getAttribute("frontendUrl")));
        }
        Config.Scope hostname = Config.scope(HOSTNAME_SPI, HOSTNAME_PROVIDER);
        configuredHostname(hostname.get("hostname"), request).ifPresent(bases::add);
        configuredHostname(hostname.get("hostname-admin"), request).ifPresent(bases::add);
        return of(bases);
    }

    /**
     * The base URL a {@code hostname} option names: a full URL as it is, a bare host name with the request's
     * scheme and port (as Keycloak's hostname provider does).
     */
    static Optional<URI> configuredHostname(String value, URI request) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            if (value.startsWith("http://") || value.startsWith("https://")) {
                return Optional.of(URI.create(value));
            }
            if (request == null) {
                return Optional.empty();
            }
            return Optional.of(new URI(request.getScheme(), null, value, request.getPort(), "/", null, null));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Adds the URI {@code base} gives, if it gives one: outside an HTTP request, or with a malformed setting, there is none. */
    private static URI add(List<URI> bases, Supplier<URI> base) {
        try {
            URI uri = base.get();
            if (uri != null) {
                bases.add(uri);
            }
            return uri;
        } catch (RuntimeException none) {
            return null;
        }
    }

    /** The origin of Keycloak that {@code uri} is on, if any. */
    public Optional<String> originOf(URI uri) {
        Optional<Origin> target = Origin.of(uri);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        return origins.stream().filter(origin -> origin.sameAs(target.get())).map(Origin::toString).findFirst();
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /**
     * Names and literals that always mean this computer: {@code localhost}, {@code *.localhost} (RFC 6761 §6.3),
     * {@code 127.x.x.x} and {@code [::1]}.
     */
    static boolean isLoopbackHost(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (IPV4_LITERAL.matcher(host).matches()) {
            return host.startsWith("127.");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            try {
                // A bracketed IPv6 literal is parsed, never looked up.
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
