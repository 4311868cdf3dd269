package dev.keycloakmcp.core;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The host names that mean "this computer" in URLs clients register or publish: {@code localhost} and the loopback literals.
 * A native client's loopback redirect may use any port (RFC 8252 §7.3, §8.3); a metadata document on such a host is
 * fetched only with the development allowance.
 */
public final class LoopbackHost {

    private static final Set<String> NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private LoopbackHost() {
    }

    public static boolean is(String host) {
        return host != null && NAMES.contains(host.toLowerCase(Locale.ROOT));
    }

    /** True for a URI that points at this computer. */
    public static boolean of(URI uri) {
        return is(uri.getHost());
    }
}
