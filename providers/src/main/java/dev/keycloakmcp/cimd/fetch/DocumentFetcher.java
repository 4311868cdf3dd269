package dev.keycloakmcp.cimd.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSocketFactory;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.ProtocolException;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.RedirectException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.DnsResolver;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.DefaultRedirectStrategy;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.protocol.HttpContext;

import dev.keycloakmcp.core.LoopbackHost;
import dev.keycloakmcp.core.Refusal;
import dev.keycloakmcp.metrics.McpMetrics;

/**
 * Fetches a Client ID Metadata Document (bytes and {@code Cache-Control}) without letting the URL reach inside the network.
 * The name is resolved once and every address must be public ({@link PublicAddresses}); the connection uses those very
 * addresses, so a second resolution cannot switch to an internal one (DNS rebinding). Redirects only where the server's
 * admin allows them ({@link HttpsRedirects}); one deadline for the whole fetch (name, connection, TLS, headers, body); a
 * capped body; no proxy, cookies or retries; JSON with status 200 only. Every refusal is {@code invalid_client}.
 * Each fetch is timed in the realm's metrics by its {@link Outcome}.
 */
public final class DocumentFetcher {

    /**
     * What the server's admin allows; {@code readTimeout} bounds the whole fetch; {@code allowLoopback} is the
     * development allowance (documents served from this host).
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int maxBytes, boolean allowLoopback, boolean followRedirects) {
    }

    /** A fetched document's body and its {@code Cache-Control} (null when absent). */
    public record Fetched(byte[] body, String cacheControl) {
    }

    /** The hosts a redirect may lead to (the realm's domain lists). */
    @FunctionalInterface
    public interface AcceptedHosts {
        void requireAccepted(String host) throws Refusal;
    }

    /** How a fetch ended: the {@code outcome} tag of {@code keycloak.mcp.metadata.document.fetch}. */
    enum Outcome {
        FETCHED("fetched"),
        /** A name with a non-public address, or not a host name. */
        REFUSED_ADDRESS("refused_address"),
        /** Unknown host, connection refused or reset, a TLS failure, not HTTP. */
        UNREACHABLE("unreachable"),
        TIMEOUT("timeout"),
        /** A redirect not followed, refused, or one too many. */
        REDIRECT("redirect"),
        /** An answer other than 200. */
        HTTP_STATUS("http_status"),
        /** Empty, or not served as JSON. */
        NOT_JSON("not_json"),
        TOO_LARGE("too_large"),
        /** The server's lookup threads all busy: not tried. */
        BUSY("busy");

        final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    static final int MAX_REDIRECTS = 3;
    static final String TOO_SLOW = "the metadata document URL did not answer in time";

    private final Settings settings;
    private final SSLSocketFactory tls;
    private final AcceptedHosts domains;
    private final FetchWorkers workers;

    /**
     * @param domains the realm's domain lists, applied to redirect targets too
     * @param workers the server's threads for deadlines and name lookups
     */
    public DocumentFetcher(Settings settings, SSLSocketFactory tls, AcceptedHosts domains, FetchWorkers workers) {
        this.settings = settings;
        this.tls = tls;
        this.domains = domains;
        this.workers = workers;
    }

    public Fetched fetch(URI url) throws Refusal {
        long started = System.nanoTime();
        try {
            Fetched fetched = attempt(url);
            McpMetrics.documentFetch(Outcome.FETCHED.tag, System.nanoTime() - started);
            return fetched;
        } catch (Failed failed) {
            McpMetrics.documentFetch(failed.outcome.tag, System.nanoTime() - started);
            throw failed.refusal;
        }
    }

    private Fetched attempt(URI url) throws Failed {
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        int timeout = (int) settings.readTimeout().toMillis();
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout((int) Math.min(settings.connectTimeout().toMillis(), timeout))
                .setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout)
                .setRedirectsEnabled(settings.followRedirects())
                .setMaxRedirects(MAX_REDIRECTS)
                .build();
        HttpClientBuilder builder = HttpClients.custom()
                .setDnsResolver(new PublicAddresses(settings.allowLoopback(), deadline, workers))
                .setSSLSocketFactory(new SSLConnectionSocketFactory(tls, SSLConnectionSocketFactory.getDefaultHostnameVerifier()))
                .setDefaultRequestConfig(config)
                .setUserAgent("Keycloak (keycloak-mcp client metadata document fetch)")
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries();
        if (settings.followRedirects()) {
            builder.setRedirectStrategy(new HttpsRedirects(settings.allowLoopback(), domains));
        } else {
            builder.disableRedirectHandling();
        }
        HttpGet get = new HttpGet(url);
        get.setHeader("Accept", "application/json");
        // Timeouts bound each step; this bounds them all together (a server that drips its headers, a slow TLS handshake).
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> watchdog = workers.deadlines.schedule(() -> {
            aborted.set(true);
            get.abort();
        }, settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpClient http = builder.build(); CloseableHttpResponse response = http.execute(get)) {
            return read(response, deadline);
        } catch (RefusedAddress e) {
            throw new Failed(e.outcome, e.refusal);
        } catch (ClientProtocolException e) {
            if (e.getCause() instanceof RefusedRedirect refused) {
                throw new Failed(Outcome.REDIRECT, refused.refusal);
            }
            if (e.getCause() instanceof RedirectException) {
                throw new Failed(Outcome.REDIRECT, Refusal.invalidClient("the metadata document URL redirects too often"));
            }
            throw new Failed(Outcome.UNREACHABLE, Refusal.invalidClient("the metadata document URL did not answer with valid HTTP"));
        } catch (IOException e) {
            if (aborted.get() || e instanceof java.net.SocketTimeoutException || e instanceof org.apache.http.conn.ConnectTimeoutException) {
                throw new Failed(Outcome.TIMEOUT, Refusal.invalidClient(TOO_SLOW));
            }
            throw new Failed(Outcome.UNREACHABLE,
                    Refusal.invalidClient("the metadata document could not be fetched (" + e.getClass().getSimpleName() + ")"));
        } catch (RuntimeException e) {
            // A URL HttpClient cannot use (e.g. a port it rejects) is a refused document, never a server error.
            throw new Failed(Outcome.UNREACHABLE,
                    Refusal.invalidClient("the metadata document could not be fetched (" + e.getClass().getSimpleName() + ")"));
        } finally {
            watchdog.cancel(false);
        }
    }

    private Fetched read(CloseableHttpResponse response, long deadline) throws IOException, Failed {
        int status = response.getStatusLine().getStatusCode();
        if (status >= 300 && status < 400 && !settings.followRedirects()) {
            throw new Failed(Outcome.REDIRECT, Refusal.invalidClient("the metadata document URL redirects (" + status + "); redirects are not followed"));
        }
        if (status != 200) {
            throw new Failed(Outcome.HTTP_STATUS, Refusal.invalidClient("the metadata document URL answered HTTP " + status));
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            throw new Failed(Outcome.NOT_JSON, Refusal.invalidClient("the metadata document is empty"));
        }
        Header type = entity.getContentType();
        if (type == null || !type.getValue().toLowerCase(Locale.ROOT).contains("json")) {
            throw new Failed(Outcome.NOT_JSON, Refusal.invalidClient("the metadata document is not served as JSON"));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (InputStream in = entity.getContent()) {
            byte[] chunk = new byte[1024];
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                body.write(chunk, 0, read);
                if (body.size() > settings.maxBytes()) {
                    throw new Failed(Outcome.TOO_LARGE, Refusal.invalidClient("the metadata document is larger than " + settings.maxBytes() + " bytes"));
                }
                if (System.nanoTime() > deadline) {
                    throw new Failed(Outcome.TIMEOUT, Refusal.invalidClient(TOO_SLOW));
                }
            }
        }
        Header cacheControl = response.getFirstHeader("Cache-Control");
        return new Fetched(body.toByteArray(), cacheControl == null ? null : cacheControl.getValue());
    }

    /**
     * Resolves a name to its addresses only if all of them are public (a mix is refused too), within the fetch's
     * deadline: the system resolver cannot be interrupted, so it runs on one of the server's few lookup threads,
     * which a lookup that does not answer in time keeps until the resolver gives up.
     */
    static final class PublicAddresses implements DnsResolver {
        private final boolean allowLoopback;
        private final long deadline;
        private final FetchWorkers workers;

        PublicAddresses(boolean allowLoopback, long deadline, FetchWorkers workers) {
            this.allowLoopback = allowLoopback;
            this.deadline = deadline;
            this.workers = workers;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses = lookUp(host);
            for (InetAddress address : addresses) {
                try {
                    FetchAddressRules.requirePublic(host, address, allowLoopback);
                } catch (Refusal refusal) {
                    throw new RefusedAddress(Outcome.REFUSED_ADDRESS, refusal);
                }
            }
            return Arrays.copyOf(addresses, addresses.length);
        }

        private InetAddress[] lookUp(String host) throws UnknownHostException {
            Future<InetAddress[]> lookup;
            try {
                lookup = workers.lookups.submit(() -> InetAddress.getAllByName(host));
            } catch (RejectedExecutionException e) {
                throw new RefusedAddress(Outcome.BUSY,
                        Refusal.invalidClient("too many metadata documents are being fetched at once; try again in a moment"));
            }
            try {
                return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                lookup.cancel(true);
                throw new RefusedAddress(Outcome.TIMEOUT, Refusal.invalidClient(TOO_SLOW));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RefusedAddress(Outcome.TIMEOUT, Refusal.invalidClient(TOO_SLOW));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownHostException unknown) {
                    throw unknown;
                }
                throw new RefusedAddress(Outcome.REFUSED_ADDRESS,
                        Refusal.invalidClient("the metadata document host " + host + " is not a valid host name"));
            }
        }
    }

    /**
     * Follows a redirect only to an https URL (or, with the development allowance, to http on this host) on a
     * domain the realm accepts; the new host's addresses then pass {@link PublicAddresses} like the first.
     */
    static final class HttpsRedirects extends DefaultRedirectStrategy {
        private final boolean allowLoopback;
        private final AcceptedHosts domains;

        HttpsRedirects(boolean allowLoopback, AcceptedHosts domains) {
            this.allowLoopback = allowLoopback;
            this.domains = domains;
        }

        @Override
        public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context) throws ProtocolException {
            URI target = super.getLocationURI(request, response, context);
            boolean https = "https".equalsIgnoreCase(target.getScheme());
            boolean localHttp = allowLoopback && "http".equalsIgnoreCase(target.getScheme()) && LoopbackHost.is(target.getHost());
            if (!https && !localHttp) {
                throw new RefusedRedirect(Refusal.invalidClient("the metadata document URL redirects to a URL that is not https"));
            }
            try {
                if (target.getHost() == null) {
                    throw Refusal.invalidClient("a URL without host");
                }
                domains.requireAccepted(target.getHost());
            } catch (Refusal refusal) {
                throw new RefusedRedirect(Refusal.invalidClient("the metadata document URL redirects elsewhere: " + refusal.description()));
            }
            return target;
        }
    }

    /** A refused redirect, through HttpClient's redirect strategy. */
    static final class RefusedRedirect extends ProtocolException {
        final transient Refusal refusal;

        RefusedRedirect(Refusal refusal) {
            super(refusal.description());
            this.refusal = refusal;
        }
    }

    /** A refused address, as an UnknownHostException so that HttpClient gives up on the host instead of trying another route. */
    static final class RefusedAddress extends UnknownHostException {
        final transient Outcome outcome;
        final transient Refusal refusal;

        RefusedAddress(Outcome outcome, Refusal refusal) {
            super(refusal.description());
            this.outcome = outcome;
            this.refusal = refusal;
        }
    }

    /** A fetch that ended in a refusal, with how it ended. */
    private static final class Failed extends Exception {
        final transient Outcome outcome;
        final transient Refusal refusal;

        Failed(Outcome outcome, Refusal refusal) {
            super(refusal.description(), null, false, false);
            this.outcome = outcome;
            this.refusal = refusal;
        }
    }
}
