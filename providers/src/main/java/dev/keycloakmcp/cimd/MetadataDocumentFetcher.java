package dev.keycloakmcp.cimd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;

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
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.DefaultRedirectStrategy;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.protocol.HttpContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fetches a Client ID Metadata Document without letting the URL reach inside the network: the name is resolved
 * once and every address it resolves to must be public ({@link FetchAddressRules}) — the connection then uses those
 * very addresses, so a second resolution cannot switch to an internal one (DNS rebinding); redirects are not
 * followed unless the server's admin allows it, and then only to https URLs whose addresses pass the same rules;
 * connecting, each read and the whole fetch are bounded; the body is capped; no proxy or cookies. The answer must
 * be a JSON object.
 */
public final class MetadataDocumentFetcher {

    /**
     * What the server's admin allows; {@code readTimeout} bounds the whole fetch as well as each read;
     * {@code allowLoopback} is the development allowance (documents served from this host).
     */
    public record Settings(Duration connectTimeout, Duration readTimeout, int maxBytes, boolean allowLoopback, boolean followRedirects) {
    }

    static final int MAX_REDIRECTS = 3;

    /** A fetched document and its {@code Cache-Control}, or why there is none. */
    public record Fetched(JsonNode document, String cacheControl, String refusal) {
        static Fetched refused(String reason) {
            return new Fetched(null, null, reason);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final SSLContext tls;

    public MetadataDocumentFetcher(Settings settings, SSLContext tls) {
        this.settings = settings;
        this.tls = tls;
    }

    public Fetched fetch(ClientIdUrl url) {
        int timeout = (int) settings.readTimeout().toMillis();
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                .setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout)
                .setRedirectsEnabled(settings.followRedirects())
                .setMaxRedirects(MAX_REDIRECTS)
                .build();
        HttpClientBuilder builder = HttpClients.custom()
                .setDnsResolver(new PublicAddresses(settings.allowLoopback()))
                .setSSLContext(tls)
                .setDefaultRequestConfig(config)
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries();
        if (settings.followRedirects()) {
            builder.setRedirectStrategy(new HttpsRedirects(settings.allowLoopback()));
        } else {
            builder.disableRedirectHandling();
        }
        long deadline = System.nanoTime() + settings.readTimeout().toNanos();
        try (CloseableHttpClient http = builder.build()) {
            HttpGet get = new HttpGet(url.uri());
            get.setHeader("Accept", "application/json");
            try (CloseableHttpResponse response = http.execute(get)) {
                int status = response.getStatusLine().getStatusCode();
                if (status >= 300 && status < 400 && !settings.followRedirects()) {
                    return Fetched.refused("the metadata document URL redirects (" + status + "); redirects are not followed");
                }
                if (status != 200) {
                    return Fetched.refused("the metadata document URL answered HTTP " + status);
                }
                HttpEntity entity = response.getEntity();
                if (entity == null) {
                    return Fetched.refused("the metadata document is empty");
                }
                Header type = entity.getContentType();
                if (type == null || !type.getValue().toLowerCase(Locale.ROOT).contains("json")) {
                    return Fetched.refused("the metadata document is not served as JSON");
                }
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                try (InputStream in = entity.getContent()) {
                    byte[] chunk = new byte[1024];
                    for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                        body.write(chunk, 0, read);
                        if (body.size() > settings.maxBytes()) {
                            return Fetched.refused("the metadata document is larger than " + settings.maxBytes() + " bytes");
                        }
                        // Each read is bounded by the socket timeout; a server that drips the body is cut off here.
                        if (System.nanoTime() > deadline) {
                            return Fetched.refused("the metadata document URL did not answer in time");
                        }
                    }
                }
                JsonNode document;
                try {
                    document = JSON.readTree(body.toString(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return Fetched.refused("the metadata document is not valid JSON");
                }
                if (document == null || !document.isObject()) {
                    return Fetched.refused("the metadata document is not a JSON object");
                }
                Header cacheControl = response.getFirstHeader("Cache-Control");
                return new Fetched(document, cacheControl == null ? null : cacheControl.getValue(), null);
            }
        } catch (RefusedAddress e) {
            return Fetched.refused(e.getMessage());
        } catch (ClientProtocolException e) {
            if (e.getCause() instanceof RefusedRedirect refused) {
                return Fetched.refused(refused.getMessage());
            }
            return Fetched.refused(e.getCause() instanceof RedirectException ? "the metadata document URL redirects too often"
                    : "the metadata document URL did not answer with valid HTTP");
        } catch (java.net.SocketTimeoutException | org.apache.http.conn.ConnectTimeoutException e) {
            return Fetched.refused("the metadata document URL did not answer in time");
        } catch (IOException e) {
            return Fetched.refused("the metadata document could not be fetched (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Resolves a name to its addresses only if all of them are public (a mix is refused too). */
    static final class PublicAddresses implements DnsResolver {
        private final boolean allowLoopback;

        PublicAddresses(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(host);
            } catch (IllegalArgumentException e) {
                throw new RefusedAddress("the metadata document host " + host + " is not a valid host name");
            }
            for (InetAddress address : addresses) {
                Optional<String> refusal = FetchAddressRules.refusal(address, allowLoopback);
                if (refusal.isPresent()) {
                    throw new RefusedAddress("the metadata document host " + host + " resolves to " + refusal.get());
                }
            }
            return Arrays.copyOf(addresses, addresses.length);
        }
    }

    /** Follows a redirect only to an https URL (or, with the development allowance, to http on this host). */
    static final class HttpsRedirects extends DefaultRedirectStrategy {
        private final boolean allowLoopback;

        HttpsRedirects(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
        }

        @Override
        public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context) throws ProtocolException {
            URI target = super.getLocationURI(request, response, context);
            boolean https = "https".equalsIgnoreCase(target.getScheme());
            boolean localHttp = allowLoopback && "http".equalsIgnoreCase(target.getScheme()) && ClientIdUrl.isLoopbackHost(target.getHost());
            if (!https && !localHttp) {
                throw new RefusedRedirect("the metadata document URL redirects to a URL that is not https");
            }
            return target;
        }
    }

    static final class RefusedRedirect extends ProtocolException {
        RefusedRedirect(String message) {
            super(message);
        }
    }

    /** An UnknownHostException so that HttpClient gives up on the host instead of trying another route. */
    static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }
}
