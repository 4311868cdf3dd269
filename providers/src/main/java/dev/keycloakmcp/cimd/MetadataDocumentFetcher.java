package dev.keycloakmcp.cimd;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.conn.DnsResolver;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Fetches a Client ID Metadata Document without letting the URL reach inside the network: the name is resolved
 * once and every address it resolves to must be public ({@link FetchAddressRules}) — the connection then uses those
 * very addresses, so a second resolution cannot switch to an internal one (DNS rebinding); redirects are not
 * followed; connect and read are bounded; the body is capped; no proxy or cookies. The answer must be a JSON object.
 */
public final class MetadataDocumentFetcher {

    /** What the admin allows; {@code allowLoopback} is the development allowance (documents served from this host). */
    public record Settings(Duration connectTimeout, Duration readTimeout, int maxBytes, boolean allowLoopback) {
    }

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
                .setRedirectsEnabled(false)
                .build();
        try (CloseableHttpClient http = HttpClients.custom()
                .setDnsResolver(new PublicAddresses(settings.allowLoopback()))
                .setSSLContext(tls)
                .setDefaultRequestConfig(config)
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableAutomaticRetries()
                .build()) {
            HttpGet get = new HttpGet(url.uri());
            get.setHeader("Accept", "application/json");
            try (CloseableHttpResponse response = http.execute(get)) {
                int status = response.getStatusLine().getStatusCode();
                if (status >= 300 && status < 400) {
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
                byte[] body;
                try (InputStream in = entity.getContent()) {
                    body = in.readNBytes(settings.maxBytes() + 1);
                }
                if (body.length > settings.maxBytes()) {
                    return Fetched.refused("the metadata document is larger than " + settings.maxBytes() + " bytes");
                }
                JsonNode document;
                try {
                    document = JSON.readTree(new String(body, StandardCharsets.UTF_8));
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
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                Optional<String> refusal = FetchAddressRules.refusal(address, allowLoopback);
                if (refusal.isPresent()) {
                    throw new RefusedAddress("the metadata document host " + host + " resolves to " + refusal.get());
                }
            }
            return Arrays.copyOf(addresses, addresses.length);
        }
    }

    /** An UnknownHostException so that HttpClient gives up on the host instead of trying another route. */
    static final class RefusedAddress extends UnknownHostException {
        RefusedAddress(String message) {
            super(message);
        }
    }
}
